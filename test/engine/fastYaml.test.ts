import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { fastOffsets, fastParseYaml, metadataNameOffsets } from '../../engine/src/model/fastYaml';
import { offsetsOf, type Path } from '../../engine/src/model/locate';
import { parseDocSlow } from '../../engine/src/model/parse';
import { splitDocuments } from '../../engine/src/model/split';
import { generateDocuments } from '../../scripts/bench/generate';
import { ROOT } from '../helpers/build';
import { isUnlicensed, readRealworld, realworldYamlFiles, skippedWithoutUnlicensed } from '../helpers/realworld';

/**
 * The fast reader must give exactly `yaml`'s data, or give up: whenever it answers, `yaml` reports
 * no error or warning and toJS() is deeply equal. Checked on every manifest the repository holds
 * (the vendored real-world ones included), the unlicensed ones of ../shared/realworld when present,
 * and random mutations of them (the kind of half-typed text an editor sees).
 */

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

function corpus(): string[] {
  const dirs = ['examples', 'test/fixtures', 'test/editor/workspace'].map((d) => join(ROOT, d));
  const texts = [...dirs.flatMap(yamlFiles).map((f) => readFileSync(f, 'utf8')), ...realworldYamlFiles().filter(isUnlicensed).map(readRealworld)];
  const docs = texts.flatMap((t) => splitDocuments(t).map((s) => s.text));
  return [...generateDocuments(800, 4), ...docs];
}

/** Every path of the data, and below each one a path that does not exist. */
function pathsOf(data: unknown, path: Path = []): Path[] {
  const own: Path[] = [path, [...path, 'no-such-key'], [...path, 99]];
  if (Array.isArray(data)) return [...own, ...data.flatMap((v, i) => pathsOf(v, [...path, i]))];
  if (data !== null && typeof data === 'object') return [...own, ...Object.entries(data).flatMap(([k, v]) => pathsOf(v, [...path, k]))];
  return own;
}

/** Why the fast answer differs from yaml's, or undefined when it agrees (or gave up). */
function disagreement(text: string): string | undefined {
  const fast = fastParseYaml(text);
  if (!fast) return undefined;
  const slow = parseDocSlow(text);
  if (slow.findings.length > 0) return `yaml reports ${slow.findings.map((f) => f.code).join(', ')}`;
  if (!isDeepStrictEqual(slow.data, fast.data)) return `data differs: fast ${JSON.stringify(fast.data)?.slice(0, 200)}, yaml ${JSON.stringify(slow.data)?.slice(0, 200)}`;
  if (!isDeepStrictEqual(slow.yaml11, fast.yaml11)) return `YAML 1.1 scalars differ: fast ${JSON.stringify(fast.yaml11).slice(0, 300)}, yaml ${JSON.stringify(slow.yaml11).slice(0, 300)}`;
  const places = fast.places ?? fastParseYaml(text, new Map())!.places!;
  for (const path of pathsOf(slow.data)) {
    for (const target of ['key', 'value', 'pair'] as const) {
      const f = fastOffsets(places, path, target);
      const y = offsetsOf(slow.yaml, path, target);
      if (f && !isDeepStrictEqual(f, y)) return `offsets of ${JSON.stringify(path)} (${target}) differ: fast ${f}, yaml ${y}`;
    }
  }
  return undefined;
}

const PIECES = [':', ' ', '-', '\n', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '&', '*', '!', 'x', '1', '  ', ': ', '- ', '\n  ', '\\', '0', '.', '~', '?', '%', '@', '`', 'true', 'null', '0x1F', '1e3', '-.5', '"a: b"', '|-\n  x\n', '\t', '\r\n', '<<: ', '__proto__: ', 'yes', 'on', '0443', '8_080', 'Off', '1_000'];

describe('fast YAML reader', () => {
  const docs = corpus();
  skippedWithoutUnlicensed('the unlicensed tutorial manifests in the corpus', 'they are left out of it');

  it('reads nearly every manifest of the corpus, exactly as yaml does', () => {
    const accepted = docs.filter((t) => fastParseYaml(t) !== undefined).length;
    const bad = docs.map((t) => [t, disagreement(t)] as const).filter(([, d]) => d);
    assert.deepEqual(bad.slice(0, 3), []);
    assert.ok(accepted / docs.length > 0.95, `the fast path serves the common case (${accepted}/${docs.length})`);
  });

  it('agrees with yaml on 20,000 random mutations, or gives up', () => {
    let seed = 17;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      let t = docs[Math.floor(rnd() * docs.length)];
      for (let e = 1 + Math.floor(rnd() * 3); e > 0; e--) {
        const at = Math.floor(rnd() * (t.length + 1));
        t = t.slice(0, at) + (rnd() < 0.7 ? PIECES[Math.floor(rnd() * PIECES.length)] : '') + t.slice(at + Math.floor(rnd() * 3));
      }
      const d = disagreement(t);
      assert.equal(d, undefined, `${JSON.stringify(t.slice(0, 300))}: ${d}`);
      if (fastParseYaml(t)) accepted++;
    }
    assert.ok(accepted > 5000, `mutations the fast path accepted were compared (${accepted})`);
  });

  it('reads the constructs manifests use', () => {
    const text = [
      'a: 1',
      'b: -2.5',
      'c: "q\\"uote\\u00e9"',
      "d: 'it''s'",
      'e: [GET, "POST", {x: 1}]',
      'f: {k: v, nn: null}',
      'g: |',
      '  {"keys": []}',
      '  line 2',
      'h:',
      '- x: 1',
      '  z: [a]',
      '- plain # comment',
      '"8080":',
      '  mode: STRICT',
      '9090: {mode: DISABLE}',
      'i: 0x1F',
      'j: ~',
      'k: True',
      '',
    ].join('\n');
    assert.deepEqual(fastParseYaml(text)?.data, {
      a: 1,
      b: -2.5,
      c: 'q"uoteé',
      d: "it's",
      e: ['GET', 'POST', { x: 1 }],
      f: { k: 'v', nn: null },
      g: '{"keys": []}\nline 2\n',
      h: [{ x: 1, z: ['a'] }, 'plain'],
      '8080': { mode: 'STRICT' },
      '9090': { mode: 'DISABLE' },
      i: 31,
      j: null,
      k: true,
    });
    assert.equal(disagreement(text), undefined);
  });

  for (const [what, text] of [
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['a merge key', 'a:\n  <<: {b: 1}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['a folded scalar', 'a: >\n  x\n'],
    ['a multi-line plain scalar', 'a: x\n  y\n'],
    ['a multi-line flow collection', 'a: [x,\n  y]\n'],
    ['a syntax error', 'a: b: c\n'],
    ['a key Kubernetes names otherwise (y is "true")', 'y: 1\n'],
    ['a flow key Kubernetes names otherwise', 'a: {on: 1}\n'],
  ] as const) {
    it(`gives up on ${what}`, () => assert.equal(fastParseYaml(text), undefined));
  }

  it('reads plain scalars as Kubernetes (YAML 1.1) does, and lists where YAML 1.2 reads them otherwise, as yaml does', () => {
    const text = 'a: yes\nb:\n- 0443\n- 8_080\nc: [Off, x]\nd: "yes"\n';
    const fast = fastParseYaml(text)!;
    assert.deepEqual(fast.data, { a: true, b: [291, 8080], c: [false, 'x'], d: 'yes' });
    assert.deepEqual(
      fast.yaml11.map((d) => [d.source, d.path, text.slice(d.range[0], d.range[1]), d.kubernetes, d.yaml12]),
      [
        ['yes', ['a'], 'yes', true, 'yes'],
        ['0443', ['b', 0], '0443', 291, 443],
        ['8_080', ['b', 1], '8_080', 8080, '8_080'],
        ['Off', ['c', 0], 'Off', false, 'Off'],
      ],
    );
    assert.equal(disagreement(text), undefined);
  });

  it('finds metadata.name where the syntax tree does, or says it cannot', () => {
    let checked = 0;
    for (const t of docs) {
      const quick = metadataNameOffsets(t);
      const doc = parseDocSlow(t);
      if (!quick || doc.syntaxErrors || typeof (doc.data as { metadata?: { name?: unknown } })?.metadata?.name !== 'string') continue;
      assert.deepEqual(doc.lines.range(quick[0], quick[1]), doc.rangeOf(['metadata', 'name']), t.slice(0, 200));
      checked++;
    }
    assert.ok(checked > 500, `compared on ${checked} documents`);
  });
});
