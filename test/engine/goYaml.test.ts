/** go-yaml v2 plain-scalar resolution (sigs.k8s.io/yaml goyaml.v2 resolve.go) and key conversion (yaml.go). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { kubernetesData, resolvePlainScalar } from '../../engine/src/model/goYaml';

describe('resolvePlainScalar (go-yaml v2 resolve)', () => {
  const cases: Array<[string, unknown]> = [
    ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['On', true], ['ON', true], ['true', true], ['True', true], ['TRUE', true],
    ['no', false], ['n', false], ['N', false], ['off', false], ['OFF', false], ['false', false], ['FALSE', false],
    ['yEs', 'yEs'], ['tRue', 'tRue'], ['o', 'o'],
    ['', null], ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'],
    ['8_080', 8080], ['1_000', 1000], ['0443', 291], ['-0443', -291], ['0448', 448], ['08', 8], ['0', 0], ['-0', 0], ['+12', 12],
    ['0x1F', 31], ['0X1f', 31], ['-0x1F', -31], ['+0x1F', 31], ['0x_1F', 31], ['0b101', 5], ['-0b101', -5], ['0o17', 15], ['0O17', 15],
    ['1.5', 1.5], ['1.', 1], ['.5', 0.5], ['-.5', -0.5], ['1e3', 1000], ['1E3', 1000], ['1_000.5', 1000.5], ['1e400', '1e400'],
    ['.inf', Infinity], ['-.Inf', -Infinity], ['+.INF', Infinity], ['.iNf', '.iNf'],
    ['1:30', '1:30'], ['190:20:30', '190:20:30'], ['2024-01-01', '2024-01-01'], ['1.2.3.4', '1.2.3.4'], ['10.0.0.0/8', '10.0.0.0/8'],
    ['-', '-'], ['0x', '0x'], ['_1', '_1'], ['<<', '<<'], ['v1', 'v1'],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${String(want)}`, () => {
      const got = resolvePlainScalar(input);
      if (typeof want === 'number' && Number.isNaN(want)) assert.ok(Number.isNaN(got));
      else assert.equal(got, want);
    });
  }
  it('.nan is NaN', () => assert.ok(Number.isNaN(resolvePlainScalar('.NaN') as number)));
});

describe('kubernetesData (go-yaml v2 decode + sigs.k8s.io/yaml keys)', () => {
  const data = (text: string): unknown => kubernetesData(parseDocument(text, { merge: true, uniqueKeys: false })).data;

  it('converts keys as sigs.k8s.io/yaml does: bools, ints and floats become strings', () => {
    assert.deepEqual(data('yes: a\n0443: b\n1.5: c\n1e6: d\n"on": e\n'), { true: 'a', 291: 'b', '1.5': 'c', '1e+06': 'd', on: 'e' });
  });

  it('merges in document order: later keys win, earlier maps of a merge list win', () => {
    assert.deepEqual(data('a: &a {x: 1, w: 1}\nb: &b {x: 2, z: 2}\nc:\n  x: 0\n  <<: [*a, *b]\n'), { a: { x: 1, w: 1 }, b: { x: 2, z: 2 }, c: { x: 1, w: 1, z: 2 } });
    assert.deepEqual((data('a: &a {x: 1}\nc:\n  <<: *a\n  x: 3\n') as Record<string, unknown>).c, { x: 3 });
    assert.deepEqual((data('c:\n  "<<": {x: 1}\n') as Record<string, unknown>).c, { '<<': { x: 1 } }, 'a quoted << is a plain key');
  });

  it('refuses what go-yaml refuses: merging a scalar, an unknown anchor, a !!int that is not one, an alias bomb', () => {
    assert.throws(() => data('x: &x 5\na:\n  <<: *x\n'), /map merge requires map or sequence of maps/);
    assert.throws(() => data('a: *nope\n'), /unknown anchor 'nope'/);
    assert.throws(() => data('a: !!int abc\n'), /cannot decode !!str `abc` as a !!int/);
    let bomb = 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++) bomb += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    assert.throws(() => data(bomb), /excessive aliasing/);
  });

  it('reports where YAML 1.1 and 1.2 read a scalar differently, once per scalar of the text', () => {
    const r = kubernetesData(parseDocument('a: &v yes\nb: *v\nc: 0443\nd: "yes"\ne: 443\nf: !!str yes\n', { merge: true }));
    assert.deepEqual(r.disagreements.map((d) => [d.source, d.kubernetes, d.yaml12, d.path.join('.')]), [['yes', true, 'yes', 'a'], ['0443', 291, 443, 'c']]);
  });
});
