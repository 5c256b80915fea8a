/**
 * Rendering and checking what would be applied: a Helm chart (`helm template`) or a Kustomize
 * overlay (`kubectl kustomize`). The renderer runs as a child process; the rendered objects go
 * through the normal engine and each finding is placed in the source file that produced it.
 * Used by `istio-sec check --helm/--kustomize` and by the language server's render request.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { checkRendered, type FindingsByFile } from './check';
import { findOnPath, runFailure, runTool, type ToolOptions } from './exec';
import { helmObjects, helmTemplateArgs } from './helm';
import { kustomizationFile, kustomizeObjects, originWrapper, parseOrigins } from './kustomize';

export { checkRendered, type FindingsByFile, type Placement, type RenderedObject } from './check';
export { findOnPath } from './exec';

export interface RenderOptions extends Pick<ToolOptions, 'env' | 'timeoutMs' | 'signal'> {
  /** The kubectl executable (name on PATH or path); default `kubectl`. */
  kubectl?: string;
  /** The helm executable; default `helm`. */
  helm?: string;
  settings?: EngineSettings;
  /** How messages name the chart or overlay (default: the path given). */
  label?: string;
}

export type RenderResult =
  | { ok: true; findings: FindingsByFile; objects: number; command: string[] }
  /** `missing-tool`: the renderer is not installed; `bad-input`: not a chart / overlay; `failed`: it ran and failed. */
  | { ok: false; reason: 'missing-tool' | 'bad-input' | 'failed'; message: string };

function fileReader(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(file, 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Renders a Kustomize directory with `kubectl kustomize` and checks the result. */
export async function checkKustomize(dir: string, opts: RenderOptions = {}): Promise<RenderResult> {
  const overlay = resolve(dir);
  if (!isDir(overlay) || !kustomizationFile(overlay)) return { ok: false, reason: 'bad-input', message: `${dir} is not a directory with a kustomization.yaml` };
  const kubectl = opts.kubectl ?? 'kubectl';
  if (!findOnPath(kubectl, opts.env)) {
    return { ok: false, reason: 'missing-tool', message: `kubectl was not found${kubectl === 'kubectl' ? ' on PATH' : ` at ${kubectl}`}: --kustomize renders the overlay with \`kubectl kustomize\`; install kubectl (it includes Kustomize) or set its path` };
  }
  const tool = { env: opts.env, timeoutMs: opts.timeoutMs, signal: opts.signal };
  const plain = await runTool(kubectl, ['kustomize', overlay], tool);
  const failure = runFailure(plain);
  if (failure) return { ok: false, reason: 'failed', message: failure };
  const wrapperDir = mkdtempSync(join(tmpdir(), 'istio-sec-kustomize-'));
  let origins: ReturnType<typeof parseOrigins> = [];
  try {
    writeFileSync(join(wrapperDir, 'kustomization.yaml'), originWrapper(overlay, wrapperDir));
    const annotated = await runTool(kubectl, ['kustomize', wrapperDir], tool);
    if (!runFailure(annotated)) origins = parseOrigins(annotated.stdout, wrapperDir);
  } finally {
    rmSync(wrapperDir, { recursive: true, force: true });
  }
  const objects = kustomizeObjects(plain.stdout, origins, overlay, fileReader(), opts.label ?? dir);
  return { ok: true, findings: checkRendered(objects, opts.settings ?? DEFAULT_SETTINGS), objects: objects.length, command: plain.argv };
}

/** Renders a Helm chart with `helm template` (with values files) and checks the result. */
export async function checkHelmChart(chartDir: string, valuesFiles: readonly string[] = [], opts: RenderOptions = {}): Promise<RenderResult> {
  const chart = resolve(chartDir);
  if (!isDir(chart) || !existsSync(join(chart, 'Chart.yaml'))) return { ok: false, reason: 'bad-input', message: `${chartDir} is not a Helm chart (a directory with Chart.yaml)` };
  const helm = opts.helm ?? 'helm';
  if (!findOnPath(helm, opts.env)) {
    return {
      ok: false,
      reason: 'missing-tool',
      message: `helm was not found${helm === 'helm' ? ' on PATH' : ` at ${helm}`}: --helm renders the chart with \`helm template\`; install Helm 3 (https://helm.sh/docs/intro/install/), or check the templates without rendering: istio-sec check ${chartDir}`,
    };
  }
  const run = await runTool(helm, helmTemplateArgs(chart, valuesFiles.map((f) => resolve(f))), { env: opts.env, timeoutMs: opts.timeoutMs, signal: opts.signal });
  const failure = runFailure(run);
  if (failure) return { ok: false, reason: 'failed', message: failure };
  const objects = helmObjects(run.stdout, chart, fileReader());
  return { ok: true, findings: checkRendered(objects, opts.settings ?? DEFAULT_SETTINGS), objects: objects.length, command: run.argv };
}
