/** Helpers for the security and workload rule tests: run the full pipeline, assert our codes. */
import assert from 'node:assert/strict';
import type { Finding } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';

const MINE = /^(authz|reqauth|peerauth|workload)-/;

/** Findings of the security/workload rules for a whole file, through FileModel (every layer runs). */
export function findings(text: string): Finding[] {
  const m = new FileModel();
  m.update(text);
  return m.findings().filter((f) => MINE.test(f.code));
}

export const span = (f: Finding): string => `${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

/** Asserts exactly these findings of `code` (severity and range as line:char-line:char). */
export function expectCode(text: string, code: string, expected: Array<[Finding['severity'], string]>): Finding[] {
  const got = findings(text).filter((f) => f.code === code);
  assert.deepEqual(got.map((f) => [f.severity, span(f)]), expected, JSON.stringify(got.map((f) => f.message)));
  return got;
}

/** Valid for Istio: none of our codes may say error. */
export function expectNoError(text: string): void {
  const errors = findings(text).filter((f) => f.severity === 'error');
  assert.deepEqual(errors.map((f) => `${f.code} ${span(f)} ${f.message}`), []);
}

/** Applies one fix of a finding to the text it was computed on. */
export function applyFix(text: string, f: Finding, which = 0): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...f.fixes![which].edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  return edits.reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** A Kubernetes document of `kind` in group/version `apiVersion`; `spec` lines start on line 6 (+ metadata lines). */
export function doc(apiVersion: string, kind: string, spec: string, metadata = ''): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: p\n  namespace: ns\n${metadata}spec:\n${spec}`;
}
