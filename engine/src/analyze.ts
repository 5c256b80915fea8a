import { boundedPerCode, type Finding, type Range } from './diagnostics';
import { metadataNameOffsets } from './model/fastYaml';
import { parseDoc, type ParsedDoc } from './model/parse';
import type { IstioResource } from './model/resource';
import { DEFAULT_SETTINGS, type EngineSettings } from './rules/rule';
import { DOCUMENT_CHECKS } from './checks';
import { filterTemplateFindings, isTemplated, prepareTemplate, type PreparedTemplate, type TemplateSummary } from './templates/helm';
import { applyPlaceholders } from './templates/placeholders';

/** Everything the engine keeps about one document after analysis (positions document-relative). */
export interface DocAnalysis {
  findings: Finding[];
  resource?: IstioResource;
  /** Document-relative range of metadata.name (or the kind) for outlines and navigation. */
  nameRange?: Range;
  /** Set for a Helm template: what masking left unchecked (the file's notice says it once). */
  template?: TemplateSummary;
  /** False when the resource's name or namespace is unknown (templated): the workspace index skips it. */
  indexable?: boolean;
}

/**
 * Runs every per-document check on one YAML document. Pure: the same text and settings
 * always give the same result, which is what lets FileModel cache by content. A Helm template's
 * actions are masked first (same offsets), so findings are placed in the template itself.
 */
export function analyzeDocument(text: string, settings: EngineSettings = DEFAULT_SETTINGS): DocAnalysis {
  return analyzeAndParse(text, settings).analysis;
}

/** analyzeDocument, also giving the parsed document (what `parseForAnalysis(text)` would return), for callers that place later findings in it. */
export function analyzeAndParse(text: string, settings: EngineSettings = DEFAULT_SETTINGS): { analysis: DocAnalysis; parsed: ParsedDoc } {
  const prepared = prepareTemplate(text);
  const doc = parseDoc(prepared?.text ?? text);
  const nameRange = doc.resource ? nameRangeOf(doc) : undefined;
  let findings = runChecks(doc, settings);
  if (prepared) findings = filterTemplateFindings(findings, { prepared, doc: doc.yaml, original: text, offsetAt: (line, character) => doc.lines.offsetAt({ line, character }) }, (o) => doc.lines.positionAt(o).line);
  findings = boundedPerCode(applyPlaceholders(doc, findings));
  const analysis: DocAnalysis = prepared
    ? { findings, resource: doc.resource, nameRange, template: summarize(prepared, doc), indexable: indexable(prepared, doc) }
    : { findings, resource: doc.resource, nameRange, indexable: doc.resource?.name !== undefined };
  return { analysis, parsed: doc };
}

/** Parses a document the way analyzeDocument reads it (a Helm template masked), for positions of later findings. */
export function parseForAnalysis(text: string): ParsedDoc {
  return parseDoc(prepareTemplate(text)?.text ?? text);
}

function indexable(prepared: PreparedTemplate, doc: ParsedDoc): boolean {
  if (!doc.resource || doc.resource.name === undefined) return false;
  return !isTemplated(prepared, doc.yaml, ['metadata', 'name']) && !isTemplated(prepared, doc.yaml, ['metadata', 'namespace']);
}

function summarize(prepared: PreparedTemplate, doc: ParsedDoc): TemplateSummary {
  const m = prepared.masked;
  const first = m.firstAction;
  return {
    actions: m.actions,
    values: m.values.length,
    blocks: m.blocks.length,
    skippedLines: m.skippedLines,
    unparsed: doc.syntaxErrors,
    firstAction: doc.lines.range(first, first + 2),
  };
}

export function runChecks(doc: ParsedDoc, settings: EngineSettings): Finding[] {
  const findings = [...doc.findings];
  for (const check of DOCUMENT_CHECKS) {
    try {
      check(doc, settings, findings);
    } catch (err) {
      findings.push({
        code: 'internal-error',
        severity: 'warning',
        message: `Internal error in a check (${(err as Error).message}); other diagnostics are still shown. Please report this.`,
        range: doc.lines.range(0, 1),
      });
    }
  }
  return findings;
}

/** metadata.name's range: a line scan for the usual layout, else the syntax tree (and the kind when there is no name). */
function nameRangeOf(doc: ParsedDoc): Range {
  const quick = doc.resource?.name !== undefined ? metadataNameOffsets(doc.text) : undefined;
  return quick ? doc.lines.range(quick[0], quick[1]) : doc.rangeOf(['metadata', 'name']);
}
