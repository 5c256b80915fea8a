/**
 * Fuzzing of the hostile input classes of issue 17 (used by test/engine/fuzz-hostile.test.ts and the
 * campaigns of scripts/fuzz.ts): fast-check arbitraries for each class and the property each input
 * must satisfy. Every property throws with a description of the first violation.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { collectInputs, readSource } from '../../cli/src/files';
import { formatText } from '../../cli/src/format';
import { FileModel } from '../../engine/src/model/fileModel';
import { KEY_SET_LIMITS } from '../../engine/src/jwks/keys';
import { normalizeRequestLine, PATH_NORMALIZATIONS, type PathNormalization } from '../../engine/src/simulate/normalize';
import { RecoveringMessageReader } from '../../server/src/frameReader';
import { checkEngineInput } from './fuzzHarness';
import { inlineJwksManifest, publicEcJwk } from './hostileInputs';
import { tempDir } from '../helpers/tmp';

export type HostileClass = 'jwks-duplicate-kids' | 'jwks-bad-keys' | 'yaml11-scalars' | 'control-characters' | 'paths' | 'frames' | 'files';

export const HOSTILE_CLASSES: readonly HostileClass[] = ['jwks-duplicate-kids', 'jwks-bad-keys', 'yaml11-scalars', 'control-characters', 'paths', 'frames', 'files'];

/** A finding's message is short whatever the input (the bound of issue 17). */
const MAX_MESSAGE = 2000;

function checkBounded(text: string, maxPerCode: number): void {
  checkEngineInput(text);
  const model = new FileModel();
  model.update(text);
  const byCode = new Map<string, number>();
  for (const f of model.findings()) {
    if (f.message.length > MAX_MESSAGE) throw new Error(`${f.code}: message of ${f.message.length} characters`);
    byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  }
  for (const [code, n] of byCode) if (code.startsWith('jwks-') && n > maxPerCode) throw new Error(`${n} ${code} findings for one key set`);
}

// ---------------------------------------------------------------- key sets

const kidArb = fc.oneof(fc.constantFrom('a', 'b', 'same', ''), fc.string({ maxLength: 12 }), fc.constant('k'.repeat(500)));

/** Inline key sets of up to 300 keys drawn from a few kids (usable EC keys, some with extra members). */
export const duplicateKidsArb: fc.Arbitrary<string> = fc
  .array(fc.record({ kid: kidArb, use: fc.constantFrom(undefined, 'sig', 'enc'), alg: fc.constantFrom(undefined, 'ES256', 'RS256') }), { minLength: 2, maxLength: 300 })
  .map((keys) => JSON.stringify({ keys: keys.map((k) => ({ ...publicEcJwk(), ...k })) }, null, 1))
  .map(inlineJwksManifest);

/** Inline key sets of up to 200 keys Node or Envoy cannot use (bad material, wrong kty, not objects...). */
export const badKeysArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.record({ kty: fc.constant('EC'), crv: fc.constantFrom('P-256', 'P-384', 'X'), x: fc.base64String({ maxLength: 60 }), y: fc.base64String({ maxLength: 60 }), kid: kidArb }),
      fc.record({ kty: fc.constant('RSA'), n: fc.string({ maxLength: 20 }), e: fc.constantFrom('AQAB', ''), kid: kidArb, key_ops: fc.constantFrom(undefined, ['encrypt']) }),
      fc.record({ kty: fc.constant('oct'), kid: kidArb }),
      fc.constantFrom(1, 'x', null, [], { kid: 'no-kty' }),
    ),
    { minLength: 1, maxLength: 200 },
  )
  .map((keys) => inlineJwksManifest(JSON.stringify({ keys })));

// ---------------------------------------------------------------- YAML 1.1

const YAML11_SCALARS = ['yes', 'No', 'ON', 'off', 'y', 'N', 'True', '~', 'null', '0443', '-017', '8_080', '1_000', '0b101', '0x1F', '+0x1F', '0o17', '1e3', '.5', '1.', '.inf', '-.Inf', '.nan', '1e400', '1:30', '2024-01-01', '<<', '""', "''", '0', '-0'];

/** Typed fields of several kinds written with YAML 1.1 scalars, merge keys and aliases. */
export const yaml11Arb: fc.Arbitrary<string> = fc
  .record({
    a: fc.constantFrom(...YAML11_SCALARS),
    b: fc.constantFrom(...YAML11_SCALARS),
    c: fc.constantFrom(...YAML11_SCALARS),
    d: fc.constantFrom(...YAML11_SCALARS),
    merge: fc.boolean(),
    keyScalar: fc.constantFrom('yes', 'on', '0443', '1_0', 'plain'),
  })
  .map(
    ({ a, b, c, d, merge, keyScalar }) =>
      `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\n  labels: &l\n    ${keyScalar}: ${a}\nspec:\n  jwtRules:\n  - issuer: ${b}\n    forwardOriginalToken: ${c}\n    audiences: [${d}, ${a}]\n---\n` +
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\nspec:\n  hosts: [a.example.com]\n  resolution: DNS\n  ports:\n  - number: ${a}\n    name: p\n    protocol: TCP\n  workloadSelector:\n    labels:\n${merge ? '      <<: {app: x}\n' : ''}      version: ${d}\n`,
  );

// ---------------------------------------------------------------- control characters

const CONTROL = fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f).map((c) => String.fromCharCode(c));
const valueArb = fc
  .array(fc.oneof(fc.string({ maxLength: 6 }), CONTROL, fc.constantFrom('\n::error::x', '\u001b[2J', '\u202e', '\r\n', '::warning file=a::b')), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** Names and values holding control characters, newlines and workflow commands. */
export const controlArb: fc.Arbitrary<{ text: string; file: string }> = fc
  .record({ name: valueArb, action: valueArb, host: valueArb, file: valueArb })
  .map(({ name, action, host, file }) => ({
    text: `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${JSON.stringify(name)}\nspec:\n  action: ${JSON.stringify(action)}\n  rules:\n  - to:\n    - operation:\n        hosts: [${JSON.stringify(host)}]\n`,
    file: `/tmp/${file}.yaml`,
  }));

const UNSAFE_OUTPUT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function checkPrintable(c: { text: string; file: string }): void {
  checkEngineInput(c.text);
  const model = new FileModel();
  model.update(c.text);
  const out = formatText([{ file: c.file, findings: model.findings() }], '/tmp');
  for (const line of out.split('\n')) if (line.startsWith('::')) throw new Error(`a printed line starts a workflow command: ${JSON.stringify(line)}`);
  const bad = UNSAFE_OUTPUT.exec(out);
  if (bad) throw new Error(`control character U+${bad[0].charCodeAt(0).toString(16)} printed raw`);
}

// ---------------------------------------------------------------- request paths

const PATH_PART = fc.constantFrom('/', '//', '.', '..', '%2e', '%2E', '%2f', '%2F', '%5c', '\\', 'admin', 'a', '%61', '%00', '%', '%zz', '?', '#', ';', '~', '%7e', ' ', 'é', '*');

/** Paths made of the pieces normalisation cares about, for a random mode and method. */
export const pathArb: fc.Arbitrary<{ path: string; mode: PathNormalization; method: string }> = fc.record({
  path: fc.array(PATH_PART, { maxLength: 20 }).map((parts) => parts.join('')),
  mode: fc.constantFrom(...PATH_NORMALIZATIONS),
  method: fc.constantFrom('GET', 'POST', 'post', 'Get', 'FOO', 'DELETE'),
});

function checkPath(c: { path: string; mode: PathNormalization; method: string }): void {
  const r = normalizeRequestLine(c.method, c.path, c.mode);
  if (!r.ok) {
    if (!/^Bad Request: /.test(r.reason)) throw new Error(`rejection without Envoy's reason: ${r.reason}`);
    return;
  }
  const path = (r.path ?? '').replace(/\?.*$/s, '');
  if (path !== '*' && !path.startsWith('/')) throw new Error(`normalised path ${JSON.stringify(path)} does not start with /`);
  if (c.mode !== 'NONE' && path.split('/').some((s) => s === '.' || s === '..')) throw new Error(`dot segment left in ${JSON.stringify(path)} (${c.mode})`);
  if ((c.mode === 'MERGE_SLASHES' || c.mode === 'DECODE_AND_MERGE_SLASHES') && path.includes('//')) throw new Error(`"//" left in ${JSON.stringify(path)} (${c.mode})`);
  if (c.mode !== 'NONE' && path.includes('\\')) throw new Error(`backslash left in ${JSON.stringify(path)}`);
  if (path.includes('#')) throw new Error(`fragment left in ${JSON.stringify(path)}`);
  const again = normalizeRequestLine(c.method, r.path, c.mode);
  if (c.mode !== 'DECODE_AND_MERGE_SLASHES' && again.ok && again.path !== r.path) throw new Error(`not idempotent: ${JSON.stringify(r.path)} -> ${JSON.stringify(again.path)}`);
}

// ---------------------------------------------------------------- LSP frames

type FrameKind = 'valid' | 'too-small' | 'too-large' | 'no-number' | 'no-length' | 'garbage';
const frameArb = fc.record({ kind: fc.constantFrom<FrameKind>('valid', 'valid', 'valid', 'too-small', 'too-large', 'no-number', 'no-length', 'garbage'), text: fc.string({ maxLength: 40 }) });

/** A byte stream of valid and malformed frames; every valid frame must be delivered, in order. */
export const framesArb: fc.Arbitrary<Array<{ kind: FrameKind; text: string }>> = fc.array(frameArb, { minLength: 1, maxLength: 12 });

async function checkFrames(frames: Array<{ kind: FrameKind; text: string }>): Promise<void> {
  const input = new PassThrough();
  const reader = new RecoveringMessageReader(input, () => undefined, 60_000);
  const got: number[] = [];
  reader.listen((m) => got.push((m as unknown as { id: number }).id));
  const want: number[] = [];
  let bytes = '';
  frames.forEach((f, id) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'm', params: { text: f.text } });
    const len = Buffer.byteLength(body);
    if (f.kind === 'valid') want.push(id);
    // A too-large frame followed by a valid one is read up to the next header: it is delivered too.
    if (f.kind === 'too-large' && frames[id + 1]?.kind === 'valid') want.push(id);
    bytes += {
      valid: `Content-Length: ${len}\r\n\r\n${body}`,
      'too-small': `Content-Length: ${Math.max(1, len - 5)}\r\n\r\n${body}`,
      'too-large': `Content-Length: ${len + 1000}\r\n\r\n${body}`,
      'no-number': `Content-Length: x${len}\r\n\r\n${body}`,
      'no-length': `Content-Type: a\r\n\r\n${body}`,
      garbage: `${f.text.replace(/content-length/gi, '')}\r\n\r\n`,
    }[f.kind];
  });
  // Split the stream at arbitrary places, as pipes do.
  const buf = Buffer.from(bytes);
  for (let i = 0; i < buf.length; i += 7) input.write(buf.subarray(i, i + 7));
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  input.end();
  const delivered = got.filter((id) => want.includes(id));
  if (JSON.stringify(delivered) !== JSON.stringify(want)) throw new Error(`frames ${JSON.stringify(frames.map((f) => f.kind))}: delivered ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
}

// ---------------------------------------------------------------- file system entries

type EntryKind = 'file' | 'fifo' | 'loop' | 'dangling' | 'dir' | 'dirloop' | 'link-to-file' | 'binary';
const entriesArb = fc.array(fc.constantFrom<EntryKind>('file', 'file', 'fifo', 'loop', 'dangling', 'dir', 'dirloop', 'link-to-file', 'binary'), { minLength: 1, maxLength: 8 });

/** Directories of regular files, FIFOs, symlink loops, dangling links and directory loops. */
export const filesArb: fc.Arbitrary<EntryKind[]> = entriesArb;

/** Builds the directory (not timed: process spawns for mkfifo), reads it (timed), removes it. */
function fileCase(entries: EntryKind[]): { setup(): void; check(): void } {
  let dir = '';
  let regular = 0;
  return {
    setup() {
      dir = tempDir('istio-sec-fuzz-files-');
      regular = 0;
      entries.forEach((kind, i) => {
        const p = join(dir, `e${i}.yaml`);
        if (kind === 'file' || kind === 'binary') {
          writeFileSync(p, kind === 'file' ? `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n` : Buffer.from([0xff, 0xfe, 0, 1, 0xc3]));
          regular++;
        } else if (kind === 'fifo') spawnSync('mkfifo', [p]);
        else if (kind === 'loop') symlinkSync(`e${i}.yaml`, p);
        else if (kind === 'dangling') symlinkSync('missing', p);
        else if (kind === 'link-to-file') symlinkSync(join(dir, 'e0.yaml'), p);
        else if (kind === 'dir') mkdirSync(p);
        else if (kind === 'dirloop') symlinkSync('.', p);
      });
    },
    check() {
      try {
        const { files, skipped, entries: order } = collectInputs([dir], '/');
        if (new Set(files).size !== files.length) throw new Error('a file is listed twice');
        if (files.length + skipped.length !== order.length) throw new Error('entries and files/skipped disagree');
        if (files.length > regular + entries.filter((k) => k === 'link-to-file').length) throw new Error('a non-regular entry is listed as a file');
        for (const f of files) {
          const r = readSource(f);
          if (!r.ok) throw new Error(`${f} could not be read: ${r.reason}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// ---------------------------------------------------------------- the campaign's view

/** One input of a class, with its property (async for the frames); `setup` is not timed. */
export interface HostileCase {
  cls: HostileClass;
  setup?(): void;
  check(): void | Promise<void>;
  describe(): string;
}

export function hostileCaseArb(cls: HostileClass): fc.Arbitrary<HostileCase> {
  const make = <T>(arb: fc.Arbitrary<T>, check: (v: T) => void | Promise<void>): fc.Arbitrary<HostileCase> =>
    arb.map((v) => ({ cls, check: () => check(v), describe: () => JSON.stringify(v).slice(0, 2000) }));
  switch (cls) {
    case 'jwks-duplicate-kids':
      return make(duplicateKidsArb, (t) => checkBounded(t, KEY_SET_LIMITS.perKeyProblems * 2 + 2));
    case 'jwks-bad-keys':
      return make(badKeysArb, (t) => checkBounded(t, KEY_SET_LIMITS.perKeyProblems * 2 + 2));
    case 'yaml11-scalars':
      return make(yaml11Arb, (t) => checkEngineInput(t));
    case 'control-characters':
      return make(controlArb, checkPrintable);
    case 'paths':
      return make(pathArb, checkPath);
    case 'frames':
      return make(framesArb, checkFrames);
    case 'files':
      return filesArb.map((v) => {
        const c = fileCase(v);
        return { cls, setup: () => c.setup(), check: () => c.check(), describe: () => JSON.stringify(v) };
      });
  }
}
