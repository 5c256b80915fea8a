/**
 * ../shared: data beside the checkout (Istio's CRDs, the unlicensed tutorial manifests) that a fresh
 * clone does not have. A test that needs it takes its options from needsShared(), a suite is declared
 * with describeNeedingShared(): without the folder, each prints the one line node:test gives a
 * skipped test (its title and the reason) and counts as one skipped test.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it, type SuiteContext, type TestOptions } from 'node:test';
import { ROOT } from './build';

export const SHARED = resolve(ROOT, '..', 'shared');

export function hasShared(folder: string): boolean {
  return existsSync(join(SHARED, folder));
}

/** Test options for a test that needs `../shared/<folder>` (each folder): a skip with its reason when one is absent. */
export function needsShared(folders: string | readonly string[], what: string): { skip?: string } {
  const missing = [folders].flat().filter((f) => !hasShared(f));
  return missing.length === 0 ? {} : { skip: `needs ${missing.map((f) => `../shared/${f}`).join(' and ')}, absent here: ${what}` };
}

/** A suite that needs `../shared/<folder>`; without it, one skipped test of the same title stands for the suite. */
export function describeNeedingShared(folder: string, what: string, title: string, options: TestOptions, fn: (s: SuiteContext) => void): void {
  const skip = needsShared(folder, what);
  if (skip.skip === undefined) describe(title, options, fn);
  else it(title, skip, () => undefined);
}
