import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out']);

/** Expands files and directories into YAML file paths (directories searched recursively, sorted). */
export function collectYamlFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean): void => {
    const st = statSync(p); // throws ENOENT: reported by the caller as a usage error
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
        visit(join(p, name), false);
      }
    } else if (explicit || YAML_FILE.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) visit(resolve(cwd, p), true);
  return out;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
