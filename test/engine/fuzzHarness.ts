/**
 * Fuzzing harness shared by the bounded fuzz tests (test/engine/fuzz*.test.ts, test/lsp/fuzz*.test.ts)
 * and the long campaigns of scripts/fuzz.ts: seed corpus, mutation and grammar arbitraries
 * (fast-check), and the property every input must satisfy.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { FileModel } from '../../engine/src/model/fileModel';
import { outline } from '../../engine/src/outline';
import { AnalysisHost } from '../../engine/src/host/index';
import type { Finding, Range } from '../../engine/src/diagnostics';
import { readRealworld, realworldYamlFiles, VENDORED_REALWORLD } from '../helpers/realworld';

export const REPO_ROOT = resolve(__dirname, '../..');
export const FUZZ_FIXTURES = join(REPO_ROOT, 'test/fixtures/fuzz');

function yamlFilesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : yamlFilesUnder(p);
    return /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Seed texts: examples/, the test fixtures other than the real-world ones, and the real-world manifests. */
export function seedCorpus(): string[] {
  const files = [
    ...yamlFilesUnder(join(REPO_ROOT, 'examples')),
    ...yamlFilesUnder(join(REPO_ROOT, 'test/editor/workspace')),
    ...yamlFilesUnder(join(REPO_ROOT, 'test/fixtures')).filter((f) => !f.startsWith(VENDORED_REALWORLD)),
  ];
  return [...files.map((f) => readFileSync(f, 'utf8')), ...realWorldTexts()].filter((t) => t.length > 0 && t.length < 200_000);
}

/** The third-party real-world manifests: vendored, and the unlicensed ones when ../shared is present (the fuzz suites register a skipped test saying so when it is not). */
export function realWorldTexts(): string[] {
  return realworldYamlFiles().map(readRealworld);
}

// ---------------------------------------------------------------- mutations

/** Fragments that stress YAML and the document splitter. */
const TOKENS = [
  '---\n', '...\n', '\t', '  ', '\r\n', '\uFEFF', '&a ', '*a', '<<: *a\n', '{', '}', '[', ']', ': ', '- ', '? ', '"', "'", '|', '>-', '#',
  '!!str ', '!custom ', '%YAML 1.2\n', '\\', '\u0000', '\uD800', '\u{1F600}', 'null', '~', 'yes', '0x1F', '1e400', '-.inf', '@', '`',
  'apiVersion: security.istio.io/v1\n', 'kind: AuthorizationPolicy\n', 'kind: VirtualService\n', 'spec:\n', 'metadata:\n  name: x\n',
  'jwksUri: ', 'hosts:\n- "*"\n', 'rules:\n- {}\n', 'eyJhbGciOiJub25lIn0.e30.', '\n',
];

export type Mutation =
  | { op: 'insertByte'; at: number; byte: number }
  | { op: 'deleteBytes'; at: number; len: number }
  | { op: 'duplicateBytes'; at: number; len: number }
  | { op: 'swapBytes'; at: number; other: number }
  | { op: 'insertToken'; at: number; token: number }
  | { op: 'deleteLine'; line: number }
  | { op: 'duplicateLine'; line: number }
  | { op: 'swapLines'; line: number; other: number }
  | { op: 'indent'; line: number; delta: number };

const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insertByte' as const), at: frac, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('deleteBytes' as const), at: frac, len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('duplicateBytes' as const), at: frac, len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('swapBytes' as const), at: frac, other: frac }),
  fc.record({ op: fc.constant('insertToken' as const), at: frac, token: fc.nat(TOKENS.length - 1) }),
  fc.record({ op: fc.constant('deleteLine' as const), line: frac }),
  fc.record({ op: fc.constant('duplicateLine' as const), line: frac }),
  fc.record({ op: fc.constant('swapLines' as const), line: frac, other: frac }),
  fc.record({ op: fc.constant('indent' as const), line: frac, delta: fc.integer({ min: -4, max: 4 }) }),
).map((m) => m as Mutation);

function pick(n: number, f: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(f * n)));
}

export function applyMutation(text: string, m: Mutation): string {
  const n = text.length;
  switch (m.op) {
    case 'insertByte': {
      const at = pick(n + 1, m.at);
      return text.slice(0, at) + String.fromCharCode(m.byte) + text.slice(at);
    }
    case 'deleteBytes': {
      const at = pick(n + 1, m.at);
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'duplicateBytes': {
      const at = pick(n + 1, m.at);
      return text.slice(0, at + m.len) + text.slice(at);
    }
    case 'swapBytes': {
      if (n < 2) return text;
      const [a, b] = [pick(n, m.at), pick(n, m.other)].sort((x, y) => x - y);
      return text.slice(0, a) + text[b] + text.slice(a + 1, b) + text[a] + text.slice(b + 1);
    }
    case 'insertToken': {
      const at = pick(n + 1, m.at);
      return text.slice(0, at) + TOKENS[m.token] + text.slice(at);
    }
    default:
      return applyLineMutation(text.split('\n'), m).join('\n');
  }
}

function applyLineMutation(lines: string[], m: Mutation): string[] {
  const out = lines.slice();
  if (m.op === 'deleteLine') out.splice(pick(out.length, m.line), 1);
  else if (m.op === 'duplicateLine') {
    const i = pick(out.length, m.line);
    out.splice(i, 0, out[i]);
  } else if (m.op === 'swapLines') {
    const a = pick(out.length, m.line);
    const b = pick(out.length, m.other);
    [out[a], out[b]] = [out[b], out[a]];
  } else if (m.op === 'indent') {
    const i = pick(out.length, m.line);
    out[i] = m.delta >= 0 ? ' '.repeat(m.delta) + out[i] : out[i].replace(new RegExp(`^ {0,${-m.delta}}`), '');
  }
  return out;
}

/** A seed index plus 1-8 mutations applied in order. */
export function mutatedTextArb(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({ seed: fc.nat(seeds.length - 1), muts: fc.array(mutationArb, { minLength: 1, maxLength: 8 }) })
    .map(({ seed, muts }) => muts.reduce(applyMutation, seeds[seed]));
}

// ---------------------------------------------------------------- grammar (schemas/)

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  enum?: unknown[];
  format?: string;
  'x-kubernetes-int-or-string'?: boolean;
}

interface KindSchema {
  group: string;
  kind: string;
  versions: string[];
  spec: SchemaNode;
}

function loadKindSchemas(): KindSchema[] {
  const index = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas/index.json'), 'utf8')) as { kinds: Array<{ file: string; served: string[] }> };
  return index.kinds.map((k) => {
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', k.file), 'utf8')) as {
      group: string;
      kind: string;
      schemas: Array<{ openAPIV3Schema: SchemaNode }>;
    };
    return { group: doc.group, kind: doc.kind, versions: k.served, spec: doc.schemas[0]?.openAPIV3Schema.properties?.spec ?? {} };
  });
}

let kindSchemas: KindSchema[] | undefined;
/** Cache of the parsed schemas/ catalog (read once per process). */
function kindSchemaCache(): KindSchema[] {
  kindSchemas ??= loadKindSchemas();
  return kindSchemas;
}

const INTERESTING_STRINGS = [
  '', '*', 'default', 'istio-system', 'foo.example.com', '*.example.com', 'https://127.0.0.1:9/jwks', 'GET', 'get', '/api/*', '10.0.0.0/8',
  'cluster.local/ns/default/sa/x', 'a/b', 'reviews.default.svc.cluster.local', 'v1', 'ISTIO_MUTUAL', 'STRICT', 'x'.repeat(300), 'ü', '${VAR}',
];

function stringArb(node: SchemaNode): fc.Arbitrary<unknown> {
  const parts: Array<fc.Arbitrary<unknown>> = [fc.constantFrom(...INTERESTING_STRINGS), fc.string({ maxLength: 20 })];
  if (node.enum?.length) parts.push(fc.constantFrom(...node.enum));
  return fc.oneof(...parts);
}

/** Random values following `node` (most of the time): fields and types from the CRD schema, with noise. */
function valueArb(node: SchemaNode, depth: number): fc.Arbitrary<unknown> {
  const noise = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }), fc.constant([]), fc.constant({}));
  if (depth > 6) return noise;
  let typed: fc.Arbitrary<unknown>;
  if (node.properties) {
    const keys = Object.keys(node.properties);
    typed = fc
      .subarray(keys, { maxLength: Math.min(6, keys.length) })
      .chain((chosen) => fc.record(Object.fromEntries(chosen.map((k) => [k, valueArb(node.properties![k], depth + 1)]))));
  } else if (node.type === 'array') {
    typed = fc.array(valueArb(node.items ?? {}, depth + 1), { maxLength: 3 });
  } else if (node.type === 'object') {
    const v = typeof node.additionalProperties === 'object' ? node.additionalProperties : {};
    typed = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), valueArb(v, depth + 1), { maxKeys: 3 });
  } else if (node.type === 'integer' || node.type === 'number') {
    typed = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 65535, 65536, 4294967296, 1.5));
  } else if (node.type === 'boolean') {
    typed = fc.boolean();
  } else if (node['x-kubernetes-int-or-string']) {
    typed = fc.oneof(fc.integer({ min: -1, max: 70000 }), stringArb(node));
  } else {
    typed = stringArb(node);
  }
  return fc.oneof({ arbitrary: typed, weight: 9 }, { arbitrary: noise, weight: 1 });
}

/** One well-formed Istio document (as data) of a random kind and served version. */
export function istioObjectArb(): fc.Arbitrary<Record<string, unknown>> {
  const kinds = kindSchemaCache();
  return fc.nat(kinds.length - 1).chain((i) => {
    const k = kinds[i];
    return fc.record({
      apiVersion: fc.constantFrom(...k.versions.map((v) => `${k.group}/${v}`)),
      kind: fc.constant(k.kind),
      metadata: fc.record(
        { name: fc.oneof(fc.constantFrom('a', 'reviews', 'default', 'Bad_Name'), fc.string({ maxLength: 10 })), namespace: fc.constantFrom('default', 'istio-system', 'foo') },
        { requiredKeys: ['name'] },
      ),
      spec: valueArb(k.spec, 0),
    });
  });
}

/** A multi-document YAML text of 1-4 random Istio documents. */
export function grammarTextArb(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(istioObjectArb(), { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('json', 'block'))
    .map(([objs, eol, style]) => objs.map((o) => toYaml(o, style)).join('---\n').replace(/\n/g, eol));
}

function toYaml(o: unknown, style: string): string {
  return style === 'json' ? JSON.stringify(o, null, 1) + '\n' : stringify(o, { lineWidth: 0 });
}

// ---------------------------------------------------------------- the property

/** LSP lines: split on \n, with a trailing \r not part of the line. */
export function lspLineLengths(text: string): number[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.length - 1 : l.length));
}

function cmp(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

/** Why a range is not inside the document, or undefined when it is. */
export function rangeProblem(range: Range, lineLengths: readonly number[]): string | undefined {
  for (const p of [range.start, range.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `bad position ${JSON.stringify(p)}`;
    if (p.line >= lineLengths.length) return `line ${p.line} >= line count ${lineLengths.length}`;
    if (p.character > lineLengths[p.line]) return `character ${p.character} > length ${lineLengths[p.line]} of line ${p.line}`;
  }
  if (cmp(range.start, range.end) > 0) return `start after end ${JSON.stringify(range)}`;
  return undefined;
}

export function checkFindings(findings: readonly Finding[], text: string, what: string): void {
  const lengths = lspLineLengths(text);
  for (const f of findings) {
    const p = rangeProblem(f.range, lengths);
    if (p) throw new Error(`${what}: ${f.code} range out of the document: ${p}`);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.code)) throw new Error(`${what}: code ${JSON.stringify(f.code)} is not kebab-case`);
    if (typeof f.message !== 'string' || f.message.length === 0) throw new Error(`${what}: ${f.code} has no message`);
  }
}

/**
 * The engine property: FileModel.update, an incremental edit from `base`, Workspace (per-file and
 * cross-resource findings, outline, navigation) never throw, and every range lies inside the text.
 * Throws with a description of the first violation.
 */
export function checkEngineInput(text: string, base?: string): void {
  const model = new FileModel();
  model.update(text);
  checkFindings(model.findings(), text, 'FileModel.update');
  outline(model);

  if (base !== undefined) {
    const edit = diffEdit(base, text);
    const inc = new FileModel();
    inc.update(base);
    inc.applyEdit(edit.start, edit.end, edit.newText, text);
    const got = inc.findings();
    checkFindings(got, text, 'FileModel.applyEdit');
    const want = model.findings();
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error('FileModel.applyEdit findings differ from a full update');
  }

  const ws = new AnalysisHost();
  ws.setFile('/fuzz/a.yaml', text);
  ws.setFile('/fuzz/b.yaml', base ?? text);
  checkFindings(ws.diagnostics('/fuzz/a.yaml'), text, 'AnalysisHost.diagnostics');
  const lengths = lspLineLengths(text);
  for (const line of [0, Math.floor(lengths.length / 2), lengths.length - 1]) {
    const pos = { line, character: Math.floor(lengths[line] / 2) };
    for (const loc of [...ws.definition('/fuzz/a.yaml', pos), ...ws.references('/fuzz/a.yaml', pos, true)]) {
      if (loc.file === '/fuzz/a.yaml' && rangeProblem(loc.range, lengths)) throw new Error(`navigation range out of the document: ${rangeProblem(loc.range, lengths)}`);
    }
  }
}

/** The single replacement that turns `a` into `b` (common prefix and suffix removed). */
export function diffEdit(a: string, b: string): { start: number; end: number; newText: string } {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { start: p, end: a.length - s, newText: b.slice(p, b.length - s) };
}

// ---------------------------------------------------------------- hostile inputs (measured by `npm run fuzz -- --hostile`)

export const HOSTILE_HEAD = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n';

/** Named hostile YAML texts (built lazily: some are tens of megabytes). */
export const HOSTILE_YAML: Record<string, () => string> = {
  'alias bomb (10 levels x 10)': () => {
    let s = HOSTILE_HEAD + 'spec:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++) s += `  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    return s;
  },
  'flow nesting 10,000 levels': () => HOSTILE_HEAD + 'spec: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n',
  'block nesting 10,000 levels (50 MB)': () => {
    const parts = [HOSTILE_HEAD + 'spec:\n'];
    for (let i = 1; i <= 10_000; i++) parts.push(' '.repeat(i) + 'k:\n');
    return parts.join('');
  },
  '5 MB scalar': () => HOSTILE_HEAD + `spec:\n  action: "${'A'.repeat(5 * 1024 * 1024)}"\n`,
  '1 MB line': () => HOSTILE_HEAD + `spec:\n  rules:\n  - to: [${Array.from({ length: 30_000 }, (_, i) => `{operation: {paths: ["/p${i}"]}}`).join(', ')}]\n`,
  'binary garbage 1 MB': () => {
    let x = 7;
    return Buffer.from(Array.from({ length: 1 << 20 }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff)).toString('latin1');
  },
  '5,000 documents': () => Array.from({ length: 5000 }, (_, i) => HOSTILE_HEAD.replace('name: p', `name: p${i}`) + 'spec: {action: DENYY}\n').join('---\n'),
  '5,000 unknown keys': () => HOSTILE_HEAD + 'spec:\n' + Array.from({ length: 5000 }, (_, i) => `  k${i}: v`).join('\n') + '\n',
  'CRLF, BOM and tabs': () => ('\uFEFF' + HOSTILE_HEAD + 'spec:\n\taction: DENY\n').replace(/\n/g, '\r\n').repeat(1000),
};
