import type { Finding, Range } from './diagnostics';
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
  const nameRange = doc.resource ? doc.rangeOf(['metadata', 'name']) : undefined;
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
