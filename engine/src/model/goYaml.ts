/**
 * How Kubernetes reads a YAML document: sigs.k8s.io/yaml decodes it with go-yaml v2 (YAML 1.1
 * plain-scalar resolution, merge keys) into untyped Go values, converts map keys to strings and
 * sends the JSON to the API server. The engine parses with `yaml` (YAML 1.2, for positions and
 * syntax errors); this module turns that syntax tree into the data Kubernetes would see, and says
 * where a YAML 1.2 tool reads a plain scalar differently. Every typed field goes through it.
 *
 * Sources: sigs.k8s.io/yaml goyaml.v2/resolve.go (resolve), decode.go (mapping, merge, alias
 * limits), yaml.go (convertToJSONableObject: non-string keys).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';

// ---------------------------------------------------------------------------------------------
// Plain scalars (resolve.go).

/** Exact spellings go-yaml v2 resolves to a fixed value (its resolveMap). */
const RESOLVE_MAP: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, unknown] => [s, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s): [string, unknown] => [s, false]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, unknown] => [s, null]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, unknown] => [s, Number.NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, unknown] => [s, Number.POSITIVE_INFINITY]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, unknown] => [s, Number.NEGATIVE_INFINITY]),
]);

/** resolveTable: the first character says what a plain scalar may be ('' → not resolvable). */
function hintOf(c: string): 'S' | 'D' | 'M' | '.' | '' {
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return c === '.' ? '.' : '';
}

/** yamlStyleFloat in resolve.go. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint / big.Int SetString(s, 0) syntax (no underscores left). */
const GO_INT = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;

function goInt(s: string): number | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const body = m[2];
  const digits = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body.replace(/^0([XBO])/, (_, p: string) => `0${p.toLowerCase()}`);
  const n = Number(BigInt(digits));
  return m[1] === '-' ? (n === 0 ? 0 : -n) : n;
}

/** strconv.ParseFloat for a scalar starting with '.' (Go allows "_" between digits). */
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined; // ParseFloat fails with ErrRange: the scalar stays a string
}

/** A go-yaml v2 resolution: the tag it gives and the value. */
interface Resolved {
  tag: 'null' | 'bool' | 'int' | 'float' | 'str';
  value: unknown;
}

function resolved(value: unknown): Resolved {
  if (value === null) return { tag: 'null', value };
  if (typeof value === 'boolean') return { tag: 'bool', value };
  return typeof value === 'number' ? { tag: 'float', value } : { tag: 'str', value };
}

/** resolve('', s) in resolve.go (timestamps left as strings, as decoding into interface{} does). */
function goResolve(s: string): Resolved {
  const hint = s === '' ? 'M' : hintOf(s[0]);
  if (hint === '') return { tag: 'str', value: s };
  if (RESOLVE_MAP.has(s)) return resolved(RESOLVE_MAP.get(s));
  if (hint === '.') return DOT_FLOAT.test(s) ? resolved(finite(Number(s.replace(/_/g, ''))) ?? s) : { tag: 'str', value: s };
  if (hint === 'M') return { tag: 'str', value: s };
  const plain = s.replace(/_/g, '');
  const int = goInt(plain);
  if (int !== undefined) return { tag: 'int', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) return resolved(finite(Number(plain)) ?? s);
  return { tag: 'str', value: s };
}

/**
 * The value go-yaml v2 gives an untagged plain scalar, as sigs.k8s.io/yaml passes it on:
 * YAML 1.1 booleans (y/yes/on/...), ints with `_`, `0b`, `0x`, `0o` and leading-0 octal, floats,
 * null. Timestamps stay strings (go-yaml v2 decodes them into interface{} as the text). Base-60
 * numbers are not resolved (go-yaml v2 never did).
 */
export function resolvePlainScalar(s: string): unknown {
  return goResolve(s).value;
}

const TAG_PREFIX = 'tag:yaml.org,2002:';
const RESOLVABLE_TAGS = new Set(['str', 'bool', 'int', 'float', 'null', 'timestamp', 'binary']);

/** An explicitly tagged scalar (`!!int "0443"`): go-yaml resolves the text, then checks it fits the tag. */
function resolveTagged(tag: string, text: string): { value: unknown; tag: Resolved['tag'] } | { error: string } {
  const short = tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : tag.startsWith('!!') ? tag.slice(2) : undefined;
  if (short === undefined || !RESOLVABLE_TAGS.has(short) || short === 'str' || short === 'timestamp') return { value: text, tag: 'str' };
  if (short === 'binary') return { value: Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8'), tag: 'str' };
  const r = goResolve(text);
  if (r.tag === short) return r;
  if (short === 'float' && r.tag === 'int') return { value: r.value, tag: 'float' };
  return { error: `cannot decode !!${r.tag} \`${text}\` as a !!${short}` };
}

/** Whether a mapping key is go-yaml's merge key: a plain (or !!merge-tagged) `<<`. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || key.source !== '<<') return false;
  return key.tag === undefined ? key.type === 'PLAIN' : key.tag === `${TAG_PREFIX}merge` || key.tag === '!!merge';
}

/** The value of a scalar node as Kubernetes reads it (YAML 1.1 for untagged plain scalars). */
function scalarValue(node: Scalar): Resolved | { error: string } {
  const text = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  if (node.tag !== undefined) return resolveTagged(node.tag, text);
  if (node.type === 'PLAIN') return goResolve(text);
  return { tag: 'str', value: typeof node.value === 'string' ? node.value : text };
}

// ---------------------------------------------------------------------------------------------
// Keys (yaml.go convertToJSONableObject).

/** Go's strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml formats float keys. */
function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  const f32 = Math.fround(f);
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const [mant, e] = Math.abs(f32).toExponential(p - 1).split('e');
    if (Math.fround(Number(`${mant}e${e}`)) === Math.abs(f32) || p === 9) {
      digits = mant.replace('.', '').replace(/0+$/, '') || '0';
      exp = Number(e);
      break;
    }
  }
  const sign = f32 < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.slice(1);
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/** A resolved key as the JSON object key sigs.k8s.io/yaml makes of it (undefined: it fails). */
function jsonKey(r: Resolved): string | undefined {
  if (r.tag === 'str') return r.value as string;
  if (r.tag === 'bool') return r.value ? 'true' : 'false';
  if (r.tag === 'int') return BigInt(r.value as number).toString();
  return r.tag === 'float' ? formatFloat32(r.value as number) : undefined;
}

/** The text of a collection used as a key; `yaml` throws while stringifying some (a merge of an alias to nothing). */
function complexKeyText(key: unknown): string {
  try {
    return String(key ?? '');
  } catch {
    return '<complex key>';
  }
}

/**
 * A mapping key as Kubernetes names the field: `yes:` is "true", `0443:` is "291". Keys that are
 * not scalars, and null keys, fall back to their YAML 1.2 text (Kubernetes rejects them anyway).
 */
export function kubernetesKey(key: unknown): string {
  if (!isScalar(key)) return complexKeyText(key);
  const r = scalarValue(key);
  const k = 'error' in r ? undefined : jsonKey(r);
  return k ?? (typeof key.value === 'symbol' ? '<<' : String(key.value ?? ''));
}

/** A plain key's JSON name as Kubernetes makes it (`yes` → "true", `0443` → "291"); undefined for null. */
export function plainKey(source: string): string | undefined {
  return jsonKey(goResolve(source));
}

// ---------------------------------------------------------------------------------------------
// Where YAML 1.1 and 1.2 disagree.

/** Whether Kubernetes (YAML 1.1) reads the plain scalar `source` as `yaml12`, the YAML 1.2 value. */
export function agreesWithYaml12(source: string, yaml12: unknown): boolean {
  return sameValue(resolvePlainScalar(source), yaml12);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

/**
 * For an untagged plain scalar that Kubernetes (YAML 1.1) reads differently from a YAML 1.2 tool:
 * both readings. Undefined when they agree (or the scalar is quoted, tagged or a block).
 */
export function yaml11Reading(node: unknown): { kubernetes: unknown; yaml12: unknown } | undefined {
  if (!isScalar(node) || node.type !== 'PLAIN' || node.tag !== undefined || typeof node.source !== 'string') return undefined;
  if (typeof node.value === 'symbol') return undefined; // merge key
  const kubernetes = resolvePlainScalar(node.source);
  return sameValue(kubernetes, node.value) ? undefined : { kubernetes, yaml12: node.value };
}

/** One plain scalar of the document read differently by Kubernetes and by YAML 1.2 tools. */
export interface Yaml11Disagreement {
  /** [start, end) offsets of the scalar in the document. */
  range: [number, number];
  source: string;
  kubernetes: unknown;
  yaml12: unknown;
  /** The scalar is a mapping key. */
  key: boolean;
  /** Path (as Kubernetes names it) of the value, or of the mapping holding the key. */
  path: Array<string | number>;
}

// ---------------------------------------------------------------------------------------------
// The whole document (decode.go).

/** Bounds of alias expansion. */
export const ALIAS_LIMITS = {
  /**
   * Nodes decoded through aliases that istio-sec validates. go-yaml allows far more (up to about
   * a million for a 10 MB document); past this bound the document is not validated (a warning),
   * so one anchor used thousands of times cannot multiply findings and work.
   */
  maxAliasedNodes: 10_000,
} as const;

/** go-yaml v2's allowedAliasRatio: the share of decodes that may come from aliases. */
function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - (0.89 * (decodeCount - low)) / (high - low);
}

/** Why Kubernetes' YAML decoding fails, or why istio-sec stops. */
export class KubernetesYamlError extends Error {
  constructor(
    message: string,
    /** 'alias-ratio': go-yaml refuses; 'alias-budget': go-yaml accepts, istio-sec does not validate; 'invalid': go-yaml refuses. */
    readonly kind: 'alias-ratio' | 'alias-budget' | 'invalid',
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface KubernetesData {
  data: unknown;
  disagreements: Yaml11Disagreement[];
  /** [start, end) of every key a mapping repeats (strict decoding rejects them). */
  duplicateKeys: Array<[number, number]>;
}

/** A path as a chain of steps (one small object per node), made an array only when a message needs it. */
interface PathLink {
  parent: PathLink | undefined;
  step: string | number;
}

function pathOf(link: PathLink | undefined): Array<string | number> {
  const out: Array<string | number> = [];
  for (let l = link; l; l = l.parent) out.push(l.step);
  return out.reverse();
}

function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<Node>();
  readonly disagreements: Yaml11Disagreement[] = [];
  readonly duplicateKeys: Array<[number, number]> = [];

  constructor(private readonly doc: Document) {}

  private count(node: Node | null | undefined): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    const at = node?.range?.[0] ?? 0;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new KubernetesYamlError('document contains excessive aliasing', 'alias-ratio', at);
    }
    if (this.aliasCount > ALIAS_LIMITS.maxAliasedNodes) {
      throw new KubernetesYamlError(`aliases expand to more than ${ALIAS_LIMITS.maxAliasedNodes} nodes`, 'alias-budget', at);
    }
  }

  /** Notes a YAML 1.1 / 1.2 disagreement once per scalar of the text (not per alias expansion). */
  private note(node: Scalar, key: boolean, path: PathLink | undefined): void {
    if (this.aliasDepth > 0 || !node.range) return;
    const r = yaml11Reading(node);
    if (r) this.disagreements.push({ range: [node.range[0], node.range[1]], source: node.source as string, ...r, key, path: pathOf(path) });
  }

  value(node: unknown, path: PathLink | undefined): unknown {
    if (node === null || node === undefined) {
      this.count(null);
      return null;
    }
    if (isAlias(node)) {
      this.count(node);
      const target = node.resolve(this.doc);
      if (!target) throw new KubernetesYamlError(`unknown anchor '${node.source}' referenced`, 'invalid', node.range?.[0] ?? 0);
      if (this.expanding.has(target)) throw new KubernetesYamlError(`anchor '${node.source}' value contains itself`, 'invalid', node.range?.[0] ?? 0);
      this.expanding.add(target);
      this.aliasDepth++;
      try {
        return this.value(target, path);
      } finally {
        this.aliasDepth--;
        this.expanding.delete(target);
      }
    }
    this.count(node as Node);
    if (isScalar(node)) {
      const r = scalarValue(node);
      if ('error' in r) throw new KubernetesYamlError(r.error, 'invalid', node.range?.[0] ?? 0);
      this.note(node, false, path);
      return r.value;
    }
    if (isSeq(node)) return node.items.map((item, i) => this.value(item, { parent: path, step: i }));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      this.mapInto(out, node, path);
      return out;
    }
    return null;
  }

  /**
   * Repeated keys of one mapping of the text (not per alias expansion), compared by their scalar
   * value as the YAML parser reads it (merge keys excepted): one Set per mapping, linear in its size.
   */
  private noteDuplicates(map: YAMLMap): void {
    if (this.aliasDepth > 0) return;
    const seen = new Set<unknown>();
    for (const pair of map.items) {
      const key = isPair(pair) ? pair.key : undefined;
      if (!isScalar(key) || isMergeKey(key) || !key.range) continue;
      if (seen.has(key.value)) this.duplicateKeys.push([key.range[0], key.range[1]]);
      else seen.add(key.value);
    }
  }

  /** mapping(): entries in document order, later ones overwriting earlier ones, merges included. */
  private mapInto(out: Record<string, unknown>, map: YAMLMap, path: PathLink | undefined): void {
    this.noteDuplicates(map);
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      if (isMergeKey(pair.key)) {
        this.merge(out, pair.value, path);
        continue;
      }
      this.count(pair.key as Node | null);
      if (isScalar(pair.key)) {
        const r = scalarValue(pair.key);
        if ('error' in r) throw new KubernetesYamlError(r.error, 'invalid', pair.key.range?.[0] ?? 0);
        this.note(pair.key, true, path);
      }
      const key = kubernetesKey(pair.key);
      setKey(out, key, this.value(pair.value, { parent: path, step: key }));
    }
  }

  /** merge(): a mapping, an alias of one, or a sequence of them (earlier ones win). */
  private merge(out: Record<string, unknown>, value: unknown, path: PathLink | undefined): void {
    const at = (value as Node | null)?.range?.[0] ?? 0;
    const wantMap = (): never => {
      throw new KubernetesYamlError('map merge requires map or sequence of maps as the value', 'invalid', at);
    };
    const mapOf = (n: unknown): YAMLMap => {
      const target = isAlias(n) ? n.resolve(this.doc) : n;
      return isMap(target) ? target : wantMap();
    };
    if (isSeq(value)) {
      const maps = value.items.map(mapOf);
      for (let i = value.items.length - 1; i >= 0; i--) this.mergeOne(out, value.items[i], maps[i], path);
    } else {
      this.mergeOne(out, value, mapOf(value), path);
    }
  }

  private mergeOne(out: Record<string, unknown>, node: unknown, map: YAMLMap, path: PathLink | undefined): void {
    this.count(node as Node);
    if (!isAlias(node)) return this.mapInto(out, map, path);
    if (this.expanding.has(map)) throw new KubernetesYamlError(`anchor '${node.source}' value contains itself`, 'invalid', node.range?.[0] ?? 0);
    this.expanding.add(map);
    this.aliasDepth++;
    try {
      this.count(map);
      this.mapInto(out, map, path);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(map);
    }
  }
}

/**
 * The document as Kubernetes' decoder reads it (see the module comment). Throws
 * KubernetesYamlError when go-yaml would fail (or the alias budget is spent).
 */
export function kubernetesData(doc: Document): KubernetesData {
  const d = new Decoder(doc);
  const data = d.value(doc.contents, undefined);
  return { data, disagreements: d.disagreements, duplicateKeys: d.duplicateKeys };
}

/**
 * The mapping entry Kubernetes uses for `key` in `map`: later entries override earlier ones, and
 * merged mappings (`<<`) supply the keys the mapping does not set itself.
 */
export function findEntry(doc: Document, map: YAMLMap, key: string, seen: Set<YAMLMap> = new Set()): { key: Node; value: Node | null } | undefined {
  if (seen.has(map)) return undefined;
  seen.add(map);
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i];
    if (!isPair(pair)) continue;
    if (isMergeKey(pair.key)) {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const s of sources) {
        const target = isAlias(s) ? s.resolve(doc) : s;
        const hit = isMap(target) ? findEntry(doc, target, key, seen) : undefined;
        if (hit) return hit;
      }
    } else if (kubernetesKey(pair.key) === key) {
      return { key: pair.key as Node, value: (pair.value ?? null) as Node | null };
    }
  }
  return undefined;
}

/** A value in words for messages: `true`, `the integer 291`, `the string "8_080"`. */
export function describeYamlValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return String(v);
}
