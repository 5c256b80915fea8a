import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkEngineInput, FUZZ_FIXTURES } from './fuzzHarness';

/** Inputs saved by `npm run fuzz` when they broke a property; each must now pass. */
interface SavedCase {
  failure: string;
  text: string;
  base?: string;
}

const files = readdirSync(FUZZ_FIXTURES).filter((f) => f.endsWith('.json')).sort();

describe('fuzz regressions (test/fixtures/fuzz)', { timeout: 60_000 }, () => {
  it('has saved inputs to replay', () => {
    assert.ok(files.length > 0);
  });
  for (const f of files) {
    const c = JSON.parse(readFileSync(join(FUZZ_FIXTURES, f), 'utf8')) as SavedCase;
    it(`${f}: ${c.failure.slice(0, 100)}`, () => {
      checkEngineInput(c.text, c.base);
    });
  }
});
