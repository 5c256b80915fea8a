/**
 * Follows kubeconfig files through file-system events (no polling). Editors and kubectl
 * replace the file (write a temporary file, then rename), which ends a watch on the file
 * itself, so this watches each file's folder and filters by name. No `vscode` import.
 */
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';

export interface Disposable {
  dispose(): void;
}

/** Calls `onChange` (debounced by `settleMs`) when any of `files` is created, changed, renamed or deleted. */
export function watchFiles(files: string[], onChange: () => void, settleMs = 100): Disposable {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(path.resolve(f));
    byDir.set(dir, (byDir.get(dir) ?? new Set()).add(path.basename(f)));
  }
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, settleMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(String(name))) fire();
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      // The folder does not exist (yet): nothing to follow until the settings change.
    }
  }
  return {
    dispose: () => {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
