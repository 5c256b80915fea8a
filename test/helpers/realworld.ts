/**
 * Third-party manifests for false-positive, legacy and JWT tests.
 *
 * Apache-2.0 and MIT sources are vendored byte for byte in test/fixtures/realworld (each folder's
 * README says from where). The tutorial repositories that state no licence are never copied: they
 * are read from ../shared/realworld in place, and only when that folder exists. Paths are given
 * relative to the real-world root (`<owner>-<repo>/<path in that repository>`) in both places.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './build';
import { it, type SuiteContext, type TestOptions } from 'node:test';
import { describeNeedingShared, hasShared, needsShared, SHARED } from './shared';

export const VENDORED_REALWORLD = join(ROOT, 'test', 'fixtures', 'realworld');
export const SHARED_REALWORLD = join(SHARED, 'realworld');
/** Whether ../shared/realworld is beside the checkout (a fresh clone has none). */
export const HAS_SHARED_REALWORLD = hasShared('realworld');

/** Folders of ../shared/realworld whose repositories state no licence: all rights reserved, never vendored. */
export const UNLICENSED_FOLDERS: readonly string[] = [
  'rinormaloku-istio-auth0',
  'auth0-blog-istio-auth0-integration',
  'walter-manger-istio-auth0-integration',
  'Istio-Succinctly-Policies',
];

export function isUnlicensed(rel: string): boolean {
  return UNLICENSED_FOLDERS.includes(rel.split('/')[0]);
}

/** The absolute path of a real-world file: vendored when its licence allows, else in ../shared. */
export function realworldPath(rel: string): string {
  return join(isUnlicensed(rel) ? SHARED_REALWORLD : VENDORED_REALWORLD, rel);
}

export function readRealworld(rel: string): string {
  return readFileSync(realworldPath(rel), 'utf8');
}

/** Files under `dir`, as `/`-separated paths relative to `root` (none when `dir` does not exist). */
export function filesUnder(root: string, dir: string = root): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split('\\').join('/'));
}

/**
 * Every real-world data file available here (paths relative to the real-world root, sorted): the
 * vendored ones, plus the unlicensed ones when ../shared is present. The vendored READMEs and licence
 * files are not data.
 */
export function realworldFiles(): string[] {
  const vendored = filesUnder(VENDORED_REALWORLD, VENDORED_REALWORLD).filter((f) => !isAttribution(f));
  const unlicensed = UNLICENSED_FOLDERS.flatMap((d) => filesUnder(SHARED_REALWORLD, join(SHARED_REALWORLD, d)));
  return [...vendored, ...unlicensed].sort();
}

/** The YAML files among realworldFiles(). */
export function realworldYamlFiles(): string[] {
  return realworldFiles().filter((f) => /\.ya?ml$/.test(f));
}

/** README and licence files the vendored folders carry for attribution. */
export function isAttribution(rel: string): boolean {
  return /(^|\/)(README\.md|LICENSE[^/]*|NOTICE[^/]*)$/.test(rel) && rel.split('/').length <= 2;
}

const unlicensed = (what: string): string => `${what} (unlicensed tutorial files, never vendored)`;

/** Test options for a test that needs the unlicensed files (see needsShared). */
export function needsUnlicensed(what: string): { skip?: string } {
  return needsShared('realworld', unlicensed(what));
}

/** A suite that needs the unlicensed files (see describeNeedingShared). */
export function describeNeedingUnlicensed(what: string, title: string, options: TestOptions, fn: (s: SuiteContext) => void): void {
  describeNeedingShared('realworld', unlicensed(what), title, options, fn);
}

/** One test per real-world file; an unlicensed file without ../shared is one skipped test. */
export function itEachRealworld(files: readonly string[], title: (rel: string) => string, fn: (text: string, rel: string) => void): void {
  for (const rel of files) it(title(rel), isUnlicensed(rel) ? needsUnlicensed(rel.split('/')[0]) : {}, () => fn(readRealworld(rel), rel));
}

/**
 * For tests that enumerate the available files: without ../shared the unlicensed files are simply not
 * listed, so this registers the one skipped test that says so (nothing when ../shared is present).
 */
export function skippedWithoutUnlicensed(title: string, what: string): void {
  if (!HAS_SHARED_REALWORLD) it(title, needsUnlicensed(what), () => undefined);
}
