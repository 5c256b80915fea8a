import type { Finding, Range } from './diagnostics';
import { metadataNameOffsets } from './model/fastYaml';
import { parseDoc, type ParsedDoc } from './model/parse';
import type { IstioResource } from './model/resource';
import { DEFAULT_SETTINGS, type EngineSettings } from './rules/rule';
import { DOCUMENT_CHECKS } from './checks';

/** Everything the engine keeps about one document after analysis (positions document-relative). */
export interface DocAnalysis {
  findings: Finding[];
  resource?: IstioResource;
  /** Document-relative range of metadata.name (or the kind) for outlines and navigation. */
  nameRange?: Range;
}

/**
 * Runs every per-document check on one YAML document. Pure: the same text and settings
 * always give the same result, which is what lets FileModel cache by content.
 */
export function analyzeDocument(text: string, settings: EngineSettings = DEFAULT_SETTINGS): DocAnalysis {
  const doc = parseDoc(text);
  const nameRange = doc.resource ? nameRangeOf(doc) : undefined;
  return { findings: runChecks(doc, settings), resource: doc.resource, nameRange };
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
