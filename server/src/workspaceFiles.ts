import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Lists the YAML files of a workspace folder for the background index, skipping what the
 * user excludes: VS Code's `files.exclude` globs and the folder's top-level .gitignore.
 */

const ALWAYS_SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);
export const MAX_INDEXED_FILE_BYTES = 5 * 1024 * 1024;

/** A small glob → RegExp for `files.exclude` and .gitignore patterns (`**`, `*`, `?`, `/`). */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim();
  const anchored = g.startsWith('/');
  if (anchored) g = g.slice(1);
  if (g.endsWith('/')) g = g.slice(0, -1);
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = g.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${g.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const prefix = anchored || g.includes('/') ? '^' : '^(?:.*/)?';
  return new RegExp(`${prefix}${re}(?:/.*)?$`);
}

export interface ExcludeRules {
  patterns: RegExp[];
}

export async function loadExcludes(folder: string, filesExclude: Record<string, boolean>): Promise<ExcludeRules> {
  const patterns = Object.entries(filesExclude)
    .filter(([, on]) => on)
    .map(([g]) => globToRegExp(g));
  try {
    const gitignore = await readFile(join(folder, '.gitignore'), 'utf8');
    for (const line of gitignore.split('\n')) {
      const l = line.trim();
      if (l && !l.startsWith('#') && !l.startsWith('!')) patterns.push(globToRegExp(l));
    }
  } catch {
    /* no .gitignore */
  }
  return { patterns };
}

export function isExcluded(rel: string, rules: ExcludeRules): boolean {
  const p = rel.split(sep).join('/');
  return rules.patterns.some((re) => re.test(p));
}

/** Every .yaml/.yml file under `folder` not excluded, depth-first, bounded in count. */
export async function listYamlFiles(folder: string, rules: ExcludeRules, maxFiles = 20_000): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (out.length >= maxFiles) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      const p = join(dir, e.name);
      const rel = relative(folder, p);
      if (ALWAYS_SKIP.has(e.name) || isExcluded(rel, rules)) continue;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  await walk(folder);
  return out;
}

export async function readIfSmall(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    // A FIFO or device named *.yaml would block the read (and a libuv thread) forever.
    if (!st.isFile() || st.size > MAX_INDEXED_FILE_BYTES) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
