/**
 * A short, deterministic run of the hostile-class fuzzers of issue 17 (the long campaigns are
 * `npm run fuzz -- --inputs 100000`, which mixes these classes with the mutation and grammar inputs).
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_CLASSES, hostileCaseArb } from './hostileFuzz';

const RUNS: Record<string, number> = { 'jwks-duplicate-kids': 15, 'jwks-bad-keys': 15, 'yaml11-scalars': 100, 'control-characters': 100, paths: 500, frames: 200, files: 15 };

describe('hostile-class fuzzing (bounded)', { timeout: 180_000 }, () => {
  for (const cls of HOSTILE_CLASSES) {
    it(cls, async () => {
      await fc.assert(
        fc.asyncProperty(hostileCaseArb(cls), async (c) => {
          c.setup?.();
          await c.check();
        }),
        { numRuns: RUNS[cls], seed: 17 },
      );
    });
  }
});
