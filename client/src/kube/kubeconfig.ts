/**
 * Reading kubeconfig files, as kubectl merges them: the files of KUBECONFIG (or the
 * `istioSecurity.kubectl.kubeconfig` setting, or ~/.kube/config), the first file that names
 * a context, cluster or user wins, and current-context comes from the first file that sets
 * it. Read only: the extension never writes a kubeconfig. No `vscode` import.
 */
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  /** The context's default namespace, if it sets one. */
  namespace?: string;
  /** The server URL of the context's cluster, if the cluster is defined. */
  server?: string;
}

export interface Kubeconfig {
  /** The files read, in merge order. */
  files: string[];
  currentContext?: string;
  contexts: KubeContext[];
}

/**
 * The kubeconfig files kubectl would read: the setting (one path) first, else the
 * KUBECONFIG list (':'-separated on Unix, ';' on Windows), else ~/.kube/config.
 */
export function kubeconfigFiles(setting: string | undefined, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string[] {
  if (setting && setting.trim()) return [expandHome(setting.trim(), home)];
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p.trim() !== '');
  if (list.length > 0) return [...new Set(list.map((p) => expandHome(p, home)))];
  return [path.join(home, '.kube', 'config')];
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

type Named = { name?: unknown; [k: string]: unknown };

function namedEntries(doc: Record<string, unknown>, key: string, inner: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const list = Array.isArray(doc[key]) ? (doc[key] as Named[]) : [];
  for (const e of list) {
    const value = e?.[inner];
    if (typeof e?.name === 'string' && value && typeof value === 'object') out.set(e.name, value as Record<string, unknown>);
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Merges the texts of kubeconfig files (in order); unreadable or malformed files count as empty. */
export function parseKubeconfigs(files: Array<{ file: string; text: string | undefined }>): Kubeconfig {
  let currentContext: string | undefined;
  const contexts = new Map<string, Record<string, unknown>>();
  const clusters = new Map<string, Record<string, unknown>>();
  for (const { text } of files) {
    let doc: unknown;
    try {
      doc = text === undefined ? undefined : parseYaml(text);
    } catch {
      doc = undefined;
    }
    if (!doc || typeof doc !== 'object') continue;
    const d = doc as Record<string, unknown>;
    currentContext ??= str(d['current-context']);
    for (const [n, c] of namedEntries(d, 'contexts', 'context')) if (!contexts.has(n)) contexts.set(n, c);
    for (const [n, c] of namedEntries(d, 'clusters', 'cluster')) if (!clusters.has(n)) clusters.set(n, c);
  }
  return {
    files: files.map((f) => f.file),
    currentContext,
    contexts: [...contexts.entries()].map(([name, c]) => {
      const cluster = str(c.cluster) ?? '';
      return { name, cluster, user: str(c.user) ?? '', namespace: str(c.namespace), server: str(clusters.get(cluster)?.server) };
    }),
  };
}

export async function readKubeconfig(files: string[]): Promise<Kubeconfig> {
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8').catch(() => undefined) })));
  return parseKubeconfigs(texts);
}
