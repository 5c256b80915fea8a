/**
 * RE2 for CEL's matches(): @bufbuild/re2 implements RE2 syntax (no lookaround,
 * no backreferences; \pL, [[:alpha:]], (?i) supported), with search (unanchored)
 * semantics. Compiled patterns are kept in a small bounded cache because the
 * same rule runs over every map key. A pattern that fails to compile throws,
 * which CEL reports as an evaluation error.
 */
import { RE2JS } from '@bufbuild/re2';
import { BoundedCache } from './boundedCache';

const compiledPatternCache = new BoundedCache<string, RE2JS>(256);

export function compileRe2(pattern: string): { test(text: string): boolean } {
  return compiledPatternCache.getOrCreate(pattern, (p) => RE2JS.compile(p));
}
