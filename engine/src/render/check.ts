/**
 * Validates rendered manifests (the output of `helm template` or `kubectl kustomize`) with the
 * normal engine, then places each finding in a source file: a renderer-specific `Placer` turns
 * the finding's YAML path in the rendered object into a file and a range there.
 */
import type { Document } from 'yaml';
import { compareFindings, type Finding, type Range } from '../diagnostics';
import type { Path } from '../model/locate';
import { parseDoc } from '../model/parse';
import { pathAt } from '../model/pathAt';
import { isBlankSegment, splitDocuments } from '../model/split';
import { AnalysisHost } from '../host/host';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';

/** Where a finding on one rendered object goes. */
export interface Placement {
  file: string;
  range: Range;
}

/** Places a YAML path of one rendered object (on its key or its value) in a source file. */
export type Placer = (path: Path, onKey: boolean, rendered: Document) => Placement;

export interface RenderedObject {
  /** The object's text as the renderer printed it (one YAML document). */
  text: string;
  place: Placer;
  /** How messages name the object's origin, e.g. `helm template` or `kubectl kustomize overlays/prod`. */
  via: string;
}

/** Findings per source file, file-absolute positions, sorted. */
export type FindingsByFile = Map<string, Finding[]>;

/** The documents of a renderer's output (blank ones dropped). */
export function renderedDocuments(output: string): string[] {
  return splitDocuments(output)
    .map((s) => s.text)
    .filter((t) => !isBlankSegment(t));
}

function describe(o: RenderedObject, doc: Document): string {
  const data = doc.toJS({ maxAliasCount: 100 }) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  const kind = typeof data?.kind === 'string' ? data.kind : 'object';
  const name = typeof data?.metadata?.name === 'string' ? data.metadata.name : '?';
  return `${kind} ${name}`;
}

function startOffset(doc: ReturnType<typeof parseDoc>, r: Range): number {
  return doc.lines.offsetAt(r.start);
}

/**
 * Checks rendered objects together (one AnalysisHost over them, as over a workspace: per-document,
 * token and cross-resource findings; nothing is fetched) and returns the findings placed in their
 * source files. Quick fixes are dropped: they would edit the rendered text, not the source.
 */
export function checkRendered(objects: readonly RenderedObject[], settings: EngineSettings = DEFAULT_SETTINGS): FindingsByFile {
  const host = new AnalysisHost({ settings: { ...settings, network: { offline: true } } });
  const keys = objects.map((_, i) => `rendered:${i}`);
  objects.forEach((o, i) => host.setFile(keys[i], o.text));
  const parsed = objects.map((o) => parseDoc(o.text));
  const place = (i: number, r: Range): Placement => {
    const doc = parsed[i];
    const { path, onKey } = pathAt(doc.yaml, startOffset(doc, r));
    return objects[i].place(path, onKey, doc.yaml);
  };
  const out: FindingsByFile = new Map();
  try {
    objects.forEach((o, i) => {
      for (const f of host.diagnostics(keys[i])) {
        const at = place(i, f.range);
        const related = f.related?.map((rel) => {
          const j = rel.file === undefined ? i : keys.indexOf(rel.file);
          if (j < 0) return rel;
          const p = place(j, rel.range);
          return { ...rel, file: p.file, range: p.range };
        });
        const mapped: Finding = { ...f, range: at.range, fixes: undefined, related, message: `${f.message} [${o.via}: ${describe(o, parsed[i].yaml)}]` };
        out.set(at.file, [...(out.get(at.file) ?? []), mapped]);
      }
    });
  } finally {
    host.dispose();
  }
  for (const list of out.values()) list.sort(compareFindings);
  return out;
}
