/**
 * Which overlay or chart a file belongs to: the nearest folder, from the file's own upward, that
 * holds a kustomization.yaml (Kustomize) or a Chart.yaml (Helm). No `vscode` import.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Renderer = 'kustomize' | 'helm';

const MARKERS: Record<Renderer, readonly string[]> = {
  kustomize: ['kustomization.yaml', 'kustomization.yml', 'Kustomization'],
  helm: ['Chart.yaml'],
};

/** The nearest folder at or above `fromDir` holding the renderer's marker file, not above `stopAt` when given. */
export function renderRoot(fromDir: string, renderer: Renderer, stopAt?: string, exists: (p: string) => boolean = existsSync): string | undefined {
  let dir = fromDir;
  for (;;) {
    if (MARKERS[renderer].some((m) => exists(join(dir, m)))) return dir;
    const up = dirname(dir);
    if (up === dir || dir === stopAt) return undefined;
    dir = up;
  }
}
