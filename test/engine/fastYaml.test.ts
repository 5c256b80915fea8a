import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { fastParseYaml, metadataNameOffsets } from '../../engine/src/model/fastYaml';
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

/** Why the fast answer differs from yaml's, or undefined when it agrees (or gave up). */
function disagreement(text: string): string | undefined {
  const fast = fastParseYaml(text);
  if (!fast) return undefined;
  const slow = parseDocSlow(text);
  if (slow.findings.length > 0) return `yaml reports ${slow.findings.map((f) => f.code).join(', ')}`;
  if (!isDeepStrictEqual(slow.data, fast.data)) return `data differs: fast ${JSON.stringify(fast.data)?.slice(0, 200)}, yaml ${JSON.stringify(slow.data)?.slice(0, 200)}`;
  return undefined;
}

const PIECES = [':', ' ', '-', '\n', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '&', '*', '!', 'x', '1', '  ', ': ', '- ', '\n  ', '\\', '0', '.', '~', '?', '%', '@', '`', 'true', 'null', '0x1F', '1e3', '-.5', '"a: b"', '|-\n  x\n', '\t', '\r\n', '<<: ', '__proto__: '];

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
    ['a YAML 1.1 boolean Kubernetes reads as true', 'a: yes\n'],
    ['a YAML 1.1 octal', 'a: 0443\n'],
    ['an integer with underscores', 'a: 8_080\n'],
    ['a key Kubernetes names otherwise (y is "true")', 'y: 1\n'],
  ] as const) {
    it(`gives up on ${what}`, () => assert.equal(fastParseYaml(text), undefined));
  }

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
