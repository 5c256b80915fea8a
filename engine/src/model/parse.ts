import { parseDocument, type Document, type YAMLError } from 'yaml';
import type { Finding, Range } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';
import { offsetsOf, type Path, type Target } from './locate';
import { identifyResource, type IstioResource } from './resource';

/** Bounds that keep hostile input (alias bombs, huge documents) from exhausting the server. */
export const PARSE_LIMITS = {
  /** Max alias expansions when converting to plain data (the yaml package's own guard). */
  maxAliasCount: 100,
} as const;

/** One parsed YAML document with everything checks need; positions are document-relative. */
export interface ParsedDoc {
  text: string;
  lines: LineIndex;
  yaml: Document;
  /** Plain data, or undefined when conversion failed (e.g. alias bomb). */
  data: unknown;
  resource?: IstioResource;
  /** YAML-level findings (syntax errors, duplicate keys, tabs...). */
  findings: Finding[];
  rangeOf(path: Path, target?: Target): Range;
}

export const YAML_CODES: Record<string, string> = {
  DUPLICATE_KEY: 'yaml-duplicate-key',
  TAB_AS_INDENT: 'yaml-tab-indent',
  ALIAS_PROPS: 'yaml-syntax',
};

function yamlFinding(e: YAMLError, lines: LineIndex, severity: 'error' | 'warning'): Finding {
  const [start, end] = e.pos;
  const code = YAML_CODES[e.code] ?? 'yaml-syntax';
  const raw = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // The parser recurses per nesting level: hostile nesting ends in a RangeError it reports as an error.
  const message = /call stack/i.test(raw) ? 'the document nests too deeply to parse (hundreds of levels); no Istio resource is this deep' : raw;
  const prefix = code === 'yaml-syntax' ? 'YAML syntax: ' : '';
  return { code, severity, message: `${prefix}${message}`, range: lines.range(start, Math.max(end, start + 1)) };
}

export function parseDoc(text: string): ParsedDoc {
  const lines = new LineIndex(text);
  const yaml = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false, logLevel: 'error' });
  const findings: Finding[] = [];
  for (const e of yaml.errors) findings.push(yamlFinding(e, lines, 'error'));
  for (const w of yaml.warnings) findings.push(yamlFinding(w, lines, 'warning'));
  let data: unknown;
  try {
    data = yaml.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
  } catch (err) {
    data = undefined;
    findings.push({
      code: 'yaml-alias-limit',
      severity: 'error',
      message: `YAML aliases expand too much (${(err as Error).message}); the document was not validated.`,
      range: lines.range(0, Math.min(text.length, 1)),
    });
  }
  const resource = data !== undefined ? identifyResource(data) : undefined;
  return {
    text,
    lines,
    yaml,
    data,
    resource,
    findings,
    rangeOf(path: Path, target: Target = 'value'): Range {
      const [s, e] = offsetsOf(yaml, path, target);
      return lines.range(s, e);
    },
  };
}
