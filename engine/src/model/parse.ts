import { parseDocument, type Document, type YAMLError } from 'yaml';
import type { Finding, Range } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';
import { fastParseYaml } from './fastYaml';
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
  /** True when `yaml` reported an error other than a duplicate key (the document is not validated further). */
  syntaxErrors: boolean;
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

const YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false, logLevel: 'error' } as const;

/** A parsed document whose `yaml` Document and line index are built on first use. */
class LazyDoc implements ParsedDoc {
  private yamlDoc: Document | undefined;
  private lineIndex: LineIndex | undefined;
  readonly resource: IstioResource | undefined;

  constructor(
    readonly text: string,
    readonly data: unknown,
    readonly findings: Finding[],
    readonly syntaxErrors: boolean,
    yaml?: Document,
    lines?: LineIndex,
  ) {
    this.yamlDoc = yaml;
    this.lineIndex = lines;
    this.resource = data !== undefined ? identifyResource(data) : undefined;
  }

  get yaml(): Document {
    this.yamlDoc ??= parseDocument(this.text, YAML_OPTIONS);
    return this.yamlDoc;
  }

  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  rangeOf(path: Path, target: Target = 'value'): Range {
    const [s, e] = offsetsOf(this.yaml, path, target);
    return this.lines.range(s, e);
  }
}

/**
 * Parses one document. The common manifest subset is read by the fast reader (plain data only:
 * the `yaml` Document, needed for positions, is built when a finding asks for one); anything else
 * goes through `yaml`, whose errors and warnings become findings.
 */
export function parseDoc(text: string): ParsedDoc {
  const fast = fastParseYaml(text);
  if (fast) return new LazyDoc(text, fast.data, [], false);
  return parseDocSlow(text);
}

/** Parses with `yaml` (the reference the fast reader is tested against). */
export function parseDocSlow(text: string): ParsedDoc {
  const lines = new LineIndex(text);
  const yaml = parseDocument(text, YAML_OPTIONS);
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
  return new LazyDoc(text, data, findings, yaml.errors.some((e) => e.code !== 'DUPLICATE_KEY'), yaml, lines);
}
