import { parseDocument, type Document, type YAMLError } from 'yaml';
import type { Finding, Range } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';
import { fastOffsets, fastParseYaml, type Places } from './fastYaml';
import { ALIAS_LIMITS, KubernetesYamlError, kubernetesData, type Yaml11Disagreement } from './goYaml';
import { offsetsOf, type Path, type Target } from './locate';
import { identifyResource, type IstioResource } from './resource';

/** Bounds that keep hostile input (alias bombs, huge documents) from exhausting the server. */
export const PARSE_LIMITS = {
  /** Nodes decoded through aliases that are validated (go-yaml's own ratio rule applies first). */
  maxAliasedNodes: ALIAS_LIMITS.maxAliasedNodes,
} as const;

/** One parsed YAML document with everything checks need; positions are document-relative. */
export interface ParsedDoc {
  text: string;
  lines: LineIndex;
  yaml: Document;
  /**
   * The document as Kubernetes reads it (go-yaml v2: YAML 1.1 scalars, merge keys, string keys),
   * or undefined when that reading fails (e.g. an alias bomb).
   */
  data: unknown;
  /** Plain scalars Kubernetes (YAML 1.1) and YAML 1.2 tools read differently. */
  yaml11: Yaml11Disagreement[];
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

const TOO_DEEP = 'the document nests too deeply to parse (hundreds of levels); no Istio resource is this deep';

function yamlFinding(e: YAMLError, lines: LineIndex, severity: 'error' | 'warning'): Finding {
  const [start, end] = e.pos;
  const code = YAML_CODES[e.code] ?? 'yaml-syntax';
  const raw = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // The parser recurses per nesting level: hostile nesting ends in a RangeError it reports as an error.
  const message = /call stack/i.test(raw) ? TOO_DEEP : raw;
  const prefix = code === 'yaml-syntax' ? 'YAML syntax: ' : '';
  return { code, severity, message: `${prefix}${message}`, range: lines.range(start, Math.max(end, start + 1)) };
}

// Repeated keys are found while reading the data (kubernetesData: one Set per mapping), not by the
// parser (whose check compares every key with every other: minutes for a mapping of 100,000 keys).
const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, keepSourceTokens: false, logLevel: 'error', merge: true } as const;

/** A parsed document whose `yaml` Document and line index are built on first use. */
class LazyDoc implements ParsedDoc {
  private yamlDoc: Document | undefined;
  private lineIndex: LineIndex | undefined;
  /** Node places from a second pass of the fast reader (documents it read): ranges without `yaml`. */
  private places: Places | undefined;
  private readonly fast: boolean;
  readonly resource: IstioResource | undefined;

  constructor(
    readonly text: string,
    readonly data: unknown,
    readonly findings: Finding[],
    readonly syntaxErrors: boolean,
    readonly yaml11: Yaml11Disagreement[] = [],
    yaml?: Document,
    lines?: LineIndex,
    places?: Places,
  ) {
    this.yamlDoc = yaml;
    this.places = places;
    this.fast = yaml === undefined;
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
    const [s, e] = this.fastOffsets(path, target) ?? offsetsOf(this.yaml, path, target);
    return this.lines.range(s, e);
  }

  /** offsetsOf from the fast reader's places, while the syntax tree is not built (undefined: ask it). */
  private fastOffsets(path: Path, target: Target): [number, number] | undefined {
    if (!this.fast || this.yamlDoc) return undefined;
    if (!this.places) {
      this.places = new Map();
      fastParseYaml(this.text, this.places);
    }
    return fastOffsets(this.places, path, target);
  }
}

/** The finding for a document Kubernetes' YAML decoder refuses (or istio-sec does not expand). */
function decodeFailure(err: unknown, text: string, lines: LineIndex): Finding {
  const first = lines.range(0, Math.min(text.length, 1));
  if (err instanceof RangeError) {
    return { code: 'yaml-syntax', severity: 'error', message: 'YAML syntax: the document nests too deeply to read (hundreds of levels); no Istio resource is this deep', range: first };
  }
  if (!(err instanceof KubernetesYamlError)) throw err;
  const at = lines.range(err.offset, Math.min(text.length, err.offset + 1));
  if (err.kind === 'alias-ratio') {
    return { code: 'yaml-alias-limit', severity: 'error', message: `YAML aliases expand too much: Kubernetes' YAML parser refuses the document ("${err.message}"); the document was not validated.`, range: first };
  }
  if (err.kind === 'alias-budget') {
    return { code: 'yaml-alias-limit', severity: 'warning', message: `YAML aliases expand too much to validate (${err.message}); Kubernetes may accept the document, but istio-sec did not validate it.`, range: first };
  }
  return { code: 'yaml-syntax', severity: 'error', message: `YAML: Kubernetes' YAML parser refuses this: ${err.message}.`, range: at };
}

/**
 * Parses one document. The common manifest subset is read by the fast reader (plain data only:
 * the `yaml` Document, needed for positions, is built when a finding asks for one); anything else
 * goes through `yaml`, whose errors and warnings become findings.
 */
export function parseDoc(text: string): ParsedDoc {
  const fast = fastParseYaml(text);
  if (fast) return new LazyDoc(text, fast.data, [], false, fast.yaml11, undefined, undefined, fast.places);
  return parseDocSlow(text);
}

/** Parses with `yaml` (the reference the fast reader is tested against). */
export function parseDocSlow(text: string): ParsedDoc {
  const lines = new LineIndex(text);
  const yaml = parseDocument(text, YAML_OPTIONS);
  const findings: Finding[] = [];
  let tooDeep = false;
  for (const e of yaml.errors) {
    const f = yamlFinding(e, lines, 'error');
    // Nesting past the stack can fail at several depths (how many depends on the stack left): one error says it.
    const deep = f.message.endsWith(TOO_DEEP);
    if (deep && tooDeep) continue;
    tooDeep ||= deep;
    findings.push(f);
  }
  for (const w of yaml.warnings) findings.push(yamlFinding(w, lines, 'warning'));
  let data: unknown;
  let yaml11: Yaml11Disagreement[] = [];
  try {
    const k8s = kubernetesData(yaml);
    ({ data, disagreements: yaml11 } = k8s);
    for (const [start, end] of k8s.duplicateKeys) findings.push({ code: 'yaml-duplicate-key', severity: 'error', message: 'Map keys must be unique', range: lines.range(start, end) });
  } catch (err) {
    data = undefined;
    if (yaml.errors.length === 0) findings.push(decodeFailure(err, text, lines));
  }
  return new LazyDoc(text, data, findings, yaml.errors.some((e) => e.code !== 'DUPLICATE_KEY'), yaml11, yaml, lines);
}
