/**
 * The one notice per Helm template file: what masking left unchecked (see helm.ts). A FileModel
 * keeps its documents' summaries summed up (`TemplateTotals`, updated per edit from the documents
 * the edit replaced, as it counts documents); the host turns the totals into the file's finding.
 */
import { shiftRange, type Finding } from '../diagnostics';
import type { TemplateSummary } from './helm';

/** The template summaries of a file's documents, summed. */
export interface TemplateTotals {
  readonly documents: number;
  readonly actions: number;
  readonly values: number;
  readonly blocks: number;
  readonly skippedLines: number;
  /** Template documents that still did not parse as YAML with the actions masked. */
  readonly unparsed: number;
}

export const NO_TEMPLATES: TemplateTotals = { documents: 0, actions: 0, values: 0, blocks: 0, skippedLines: 0, unparsed: 0 };

/** `totals` with one template document's summary added (sign 1) or taken out (-1): a new object, so a change shows by identity. */
export function addTemplate(totals: TemplateTotals, s: TemplateSummary, sign: 1 | -1): TemplateTotals {
  const documents = totals.documents + sign;
  if (documents === 0) return NO_TEMPLATES;
  return {
    documents,
    actions: totals.actions + sign * s.actions,
    values: totals.values + sign * s.values,
    blocks: totals.blocks + sign * s.blocks,
    skippedLines: totals.skippedLines + sign * s.skippedLines,
    unparsed: totals.unparsed + (s.unparsed ? sign : 0),
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The file's `helm-template` finding (file-absolute), placed on the first action of the file's
 * first template document (`first`, starting at line `startLine`); undefined when there is none.
 */
export function templateNotice(totals: TemplateTotals, first: TemplateSummary | undefined, startLine: number): Finding | undefined {
  if (totals.documents === 0 || !first) return undefined;
  const parts = [`${plural(totals.values, 'templated value')} taken as placeholders`, `${plural(totals.blocks, 'include/toYaml block')} whose output is unknown`];
  if (totals.skippedLines > 0) parts.push(`${plural(totals.skippedLines, 'line')} of else branches or define bodies`);
  const u = totals.unparsed;
  const notParsed = u > 0 ? ` ${plural(u, 'document')} still did not parse as YAML with the actions masked and ${u === 1 ? 'was' : 'were'} not validated.` : '';
  return {
    code: 'helm-template',
    severity: 'information',
    message:
      `Helm template: ${plural(totals.actions, 'template action')} masked; the literal YAML was checked, not: ${parts.join(', ')}.${notParsed} ` +
      'To validate what would be applied, render it: istio-sec check --helm <chart dir> [--values file] (needs helm on PATH).',
    range: shiftRange(first.firstAction, startLine),
  };
}
