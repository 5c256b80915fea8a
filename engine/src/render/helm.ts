/**
 * `helm template` output → rendered objects placed in the chart's templates. Helm prints
 * `# Source: <chart>/templates/<file>` before each document; a finding goes to that template, at
 * the same YAML path in it when the template writes that path literally, else at the nearest
 * enclosing field it has (e.g. the key whose value came from `toYaml`).
 */
import { join, sep } from 'node:path';
import type { Document } from 'yaml';
import { parseForAnalysis } from '../analyze';
import type { Path } from '../model/locate';
import { isBlankSegment, splitDocuments, type Segment } from '../model/split';
import { shiftRange } from '../diagnostics';
import type { Placement, RenderedObject } from './check';

/** The arguments of `helm template` for a chart directory and values files. */
export function helmTemplateArgs(chartDir: string, valuesFiles: readonly string[] = [], release = 'istio-sec'): string[] {
  return ['template', release, chartDir, ...valuesFiles.flatMap((f) => ['--values', f])];
}

export interface HelmDocument {
  /** The `# Source:` path (chart name first), when the document has one. */
  source?: string;
  text: string;
}

const SOURCE = /^# Source: (.+?)\s*$/m;

/** The documents of `helm template` output with their `# Source:` paths. */
export function splitHelmOutput(output: string): HelmDocument[] {
  return splitDocuments(output)
    .filter((s) => !isBlankSegment(s.text.replace(SOURCE, '')))
    .map((s) => ({ source: SOURCE.exec(s.text)?.[1], text: s.text }));
}

/** The file a `# Source:` path names, in a chart directory (`chart/charts/sub/templates/x.yaml` → `<dir>/charts/sub/templates/x.yaml`). */
export function helmSourceFile(chartDir: string, source: string): string {
  const rest = source.split('/').slice(1);
  return join(chartDir, ...rest).split('/').join(sep);
}

interface TemplateDoc {
  segment: Segment;
  kind?: string;
}

function kindOf(text: string): string | undefined {
  return /^kind:\s*["']?([A-Za-z]+)/m.exec(text)?.[1];
}

/**
 * Rendered objects of a chart, each placed in its template. `readFile` gives a template's text
 * (undefined when unreadable: findings then go to the top of the file).
 */
export function helmObjects(output: string, chartDir: string, readFile: (file: string) => string | undefined, chartFile = join(chartDir, 'Chart.yaml')): RenderedObject[] {
  const docs = splitHelmOutput(output);
  const templates = new Map<string, TemplateDoc[]>();
  const used = new Map<string, number>();
  const templateDocs = (file: string): TemplateDoc[] => {
    let list = templates.get(file);
    if (!list) {
      const text = readFile(file);
      list = text === undefined ? [] : splitDocuments(text).filter((s) => !isBlankSegment(s.text)).map((segment) => ({ segment, kind: kindOf(segment.text) }));
      templates.set(file, list);
    }
    return list;
  };
  return docs.map((d) => {
    const file = d.source ? helmSourceFile(chartDir, d.source) : chartFile;
    const list = d.source ? templateDocs(file) : [];
    const n = used.get(file) ?? 0;
    used.set(file, n + 1);
    const kind = kindOf(d.text);
    // The n-th object from a template is its n-th document when the counts allow, else the first of the same kind.
    const target = (list[n] && list[n].kind === kind ? list[n] : list.find((t) => t.kind === kind)) ?? list[0];
    return { text: d.text, via: 'helm template', place: placer(file, target) };
  });
}

function placer(file: string, target: TemplateDoc | undefined): (path: Path, onKey: boolean, rendered: Document) => Placement {
  return (path, onKey) => {
    if (!target) return { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    const doc = parseForAnalysis(target.segment.text);
    return { file, range: shiftRange(doc.rangeOf(path, onKey ? 'key' : 'value'), target.segment.startLine) };
  };
}
