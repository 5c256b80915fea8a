import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { skippedWithoutUnlicensed } from '../helpers/realworld';
import { applyMutation, checkEngineInput, diffEdit, grammarTextArb, lspLineLengths, mutatedTextArb, rangeProblem, seedCorpus } from './fuzzHarness';

/**
 * A short, deterministic fuzz run (the long campaigns are `npm run fuzz -- --inputs 100000`).
 * Property: FileModel.update / applyEdit / Workspace / outline / navigation never throw, every
 * range lies inside the document, and an incremental edit gives the same findings as a full update.
 */
const SEED = 12;
const seeds = seedCorpus();

describe('engine fuzzing (bounded)', { timeout: 120_000 }, () => {
  it('the seed corpus includes examples, fixtures and real-world manifests', () => {
    assert.ok(seeds.length > 100, `only ${seeds.length} seeds`);
  });
  skippedWithoutUnlicensed('the seed corpus includes the unlicensed tutorial manifests', 'fuzz seeds');

  it('mutated seeds: bytes, lines and indentation inserted, deleted, duplicated and swapped', () => {
    const arb = fc.nat(seeds.length - 1).chain((i) => mutatedTextArb([seeds[i]]).map((text) => ({ text, base: seeds[i] })));
    fc.assert(fc.property(arb, ({ text, base }) => checkEngineInput(text, base)), { numRuns: 400, seed: SEED });
  });

  it('grammar-generated Istio documents (kinds and fields from schemas/)', () => {
    fc.assert(fc.property(grammarTextArb(), (text) => checkEngineInput(text)), { numRuns: 200, seed: SEED });
  });
});

describe('fuzz harness', () => {
  it('mutations do what they say', () => {
    assert.equal(applyMutation('abc', { op: 'insertByte', at: 0.5, byte: 120 }), 'abxc');
    assert.equal(applyMutation('abcdef', { op: 'deleteBytes', at: 0, len: 2 }), 'cdef');
    assert.equal(applyMutation('a\nb\nc', { op: 'swapLines', line: 0, other: 0.9 }), 'c\nb\na');
    assert.equal(applyMutation('a\n  b', { op: 'indent', line: 0.9, delta: -1 }), 'a\n b');
  });

  it('finds out-of-range positions and computes single edits', () => {
    const lengths = lspLineLengths('ab\r\ncd');
    assert.deepEqual(lengths, [2, 2]);
    assert.equal(rangeProblem({ start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, lengths), undefined);
    assert.match(rangeProblem({ start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, lengths) ?? '', /character 3 > length 2/);
    assert.match(rangeProblem({ start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, lengths) ?? '', /line 2 >= line count 2/);
    assert.deepEqual(diffEdit('abcd', 'abXd'), { start: 2, end: 3, newText: 'X' });
  });
});
