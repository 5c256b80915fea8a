/**
 * Assertions for semantic-rule tests: run a manifest through the full per-document pipeline
 * (analyzeDocument) and check one code's findings by code, severity and exact range, where the
 * expected range is the position of a unique piece of the manifest's text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileModel } from '../../engine/src/model/fileModel';
import { analyzeDocument } from '../../engine/src/analyze';
import type { Finding, Range, Severity } from '../../engine/src/diagnostics';
import { isUnlicensed, needsUnlicensed, readRealworld, realworldYamlFiles } from './realworld';

export function findingsOf(yaml: string, code: string): Finding[] {
  return analyzeDocument(yaml).findings.filter((f) => f.code === code);
}

/** The range of the `occurrence`-th (0-based) appearance of `needle` in `text`. */
export function rangeOfText(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `'${needle}' (occurrence ${occurrence}) not found in the manifest`);
  }
  const pos = (offset: number): { line: number; character: number } => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(at), end: pos(at + needle.length) };
}

export interface Expected {
  code: string;
  severity: Severity;
  /** Text the finding underlines, exactly. */
  at: string;
  occurrence?: number;
  istioCode?: string;
}

/** Exactly one finding of the code, with that severity, on that text. */
export function expectFinding(yaml: string, e: Expected): Finding {
  const found = findingsOf(yaml, e.code);
  const summary = analyzeDocument(yaml).findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character} ${f.message}`).join('\n');
  assert.equal(found.length, 1, `expected one ${e.code}, got ${found.length}:\n${summary}`);
  const f = found[0];
  assert.equal(f.severity, e.severity, f.message);
  assert.deepEqual(f.range, rangeOfText(yaml, e.at, e.occurrence), `${e.code}: ${f.message}`);
  if (e.istioCode) assert.equal(f.istioCode, e.istioCode);
  assert.ok(f.message.length > 20, 'the message explains the problem');
  return f;
}

export function expectNoFinding(yaml: string, code: string): void {
  const found = findingsOf(yaml, code);
  assert.deepEqual(found.map((f) => f.message), [], `${code} should not fire`);
}

/** Applies a finding's first fix to the text (single-edit fixes). */
export function applyFirstFix(yaml: string, f: Finding): string {
  const fix = f.fixes?.[0];
  assert.ok(fix, `${f.code} offers a quick fix`);
  const lines = yaml.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const [edit] = fix.edits;
  return yaml.slice(0, offset(edit.range.start)) + edit.newText + yaml.slice(offset(edit.range.end));
}

/** The real-world files that Istio 1.30 accepts (shared/realworld/README.md: "Valid, current"), networking part. */
const VALID_NETWORKING: RegExp[] = [
  /^istio-istio\/samples\/(?!bookinfo\/platform\/kube\/rbac\/)/,
  /^istio-istio\/pkg\/test\/datasets\/validation\/dataset\/networking-/,
  /^istio-istio\/pkg\/config\/validation\/testdata\/crds\/(destinationrule|serviceentry)-valid\.yaml$/,
  /^Istio-Succinctly-Policies\//,
  /^garystafford-storefront-demo\/minikube\//,
  /^garystafford-k8s-istio-observe-backend\/resources\/dev\//,
];

/** Paths relative to the real-world root (see ./realworld): the vendored ones, or the unlicensed ones. */
export function validNetworkingFiles(unlicensed: boolean): string[] {
  return realworldYamlFiles().filter((f) => isUnlicensed(f) === unlicensed && VALID_NETWORKING.some((re) => re.test(f)));
}

/** Every error-severity finding whose code matches, over these real-world files. */
export function realWorldErrors(codes: RegExp, files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const model = new FileModel();
    model.update(readRealworld(file));
    for (const f of model.findings()) {
      if (codes.test(f.code) && f.severity === 'error') out.push(`${file}:${f.range.start.line + 1} ${f.code} ${f.message}`);
    }
  }
  return out;
}

export interface RuleCase extends Expected {
  name: string;
  yaml: string;
}

/** One test per pair: the first manifest raises the finding, the second (its fix) does not. */
export function describeRuleCases(title: string, cases: ReadonlyArray<[RuleCase, string]>): void {
  describe(title, () => {
    for (const [bad, good] of cases) {
      it(`${bad.code}: rejects ${bad.name}, accepts the fixed manifest`, () => {
        expectFinding(bad.yaml, bad);
        expectNoFinding(good, bad.code);
      });
    }
  });
}

/** No error-severity finding of these codes on the real-world files Istio accepts. */
export function describeRealWorld(title: string, codes: RegExp): void {
  describe(`${title} on real-world files Istio accepts`, () => {
    it('raise no errors on the vendored files', () => {
      const files = validNetworkingFiles(false);
      assert.ok(files.length > 40, `only ${files.length} vendored real-world files`);
      assert.deepEqual(realWorldErrors(codes, files), []);
    });
    it('raise no errors on the unlicensed tutorial files', needsUnlicensed('Istio Succinctly networking files'), () => {
      const files = validNetworkingFiles(true);
      assert.ok(files.length > 10, `only ${files.length} unlicensed real-world files`);
      assert.deepEqual(realWorldErrors(codes, files), []);
    });
  });
}
