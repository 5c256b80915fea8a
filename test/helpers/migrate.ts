import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { migrateText, type MigrationNote } from '../../engine/src/legacy/migrate';
import { FileModel } from '../../engine/src/model/fileModel';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** Errors the product itself reports on a text (the converted output must have none). */
export function errorsOf(text: string): string[] {
  const m = new FileModel();
  m.update(text);
  return m
    .findings()
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.range.start.line + 1}: ${f.code} ${f.message}`);
}

export function objectsOf(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

export function byKind(objs: Obj[], kind: string): Obj[] {
  return objs.filter((o) => o.kind === kind);
}

/** Converts, asserts the output validates with no error, returns objects and notes. */
export function convert(text: string): { text: string; objs: Obj[]; notes: MigrationNote[] } {
  const r = migrateText(text);
  assert.deepEqual(errorsOf(r.text), [], r.text);
  return { text: r.text, objs: objectsOf(r.text), notes: r.notes };
}

