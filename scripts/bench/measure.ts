/**
 * Measurements of a language server over stdio, exactly as an editor drives it: open a document
 * and wait for its diagnostics, type (one character in, one out) and wait for the diagnostics of
 * each version, ask for completion and hover, read the peak RSS of the process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspTestClient } from '../../test/helpers/lspClient';
import { ROOT } from '../../test/helpers/build';

export interface Stat {
  n: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}

export function stat(xs: readonly number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export function peakRssMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export type Flavor = 'istio-sec' | 'yaml-language-server';

/** Starts a server; the peer gets the combined schema of schemas/ for every *.yaml file. */
export async function startServer(flavor: Flavor, schemaUri: string, workspaceFolder?: string): Promise<LspTestClient> {
  if (flavor === 'istio-sec') return LspTestClient.start({ workspaceFolder });
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false },
    maxItemsComputed: 100000,
    schemas: { [schemaUri]: '*.yaml' },
  };
  const client = await LspTestClient.start({
    workspaceFolder,
    serverArgs: [join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
    settings: { yaml: yamlSettings, http: {}, '[yaml]': {}, editor: {}, files: {} },
  });
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
  return client;
}

/** Counts publications and remembers the last version per URI (the peer does not version them). */
export class Publications {
  count = 0;
  readonly versions = new Map<string, number | undefined>();
  constructor(readonly client: LspTestClient) {
    client.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number | null }) => {
      this.count++;
      this.versions.set(p.uri, p.version ?? undefined);
    });
  }

  /** Resolves on the first publication for `uri` after `seen`, of `version` when the server versions them. */
  async next(uri: string, seen: number, version?: number, timeoutMs = 300_000): Promise<void> {
    await this.client.waitFor(
      () => {
        if (this.count <= seen) return undefined;
        const v = this.versions.get(uri);
        return v === undefined || version === undefined || v === version ? true : undefined;
      },
      timeoutMs,
      `diagnostics of ${uri}`,
    );
  }
}

/** Where to type in a document: the end of the middle document's metadata.name line. */
export function editPoint(text: string): { line: number; character: number; keyLine: number } {
  const lines = text.split('\n');
  let line = Math.floor(lines.length / 2);
  while (line < lines.length && !/^ {2}name: /.test(lines[line])) line++;
  let keyLine = line;
  while (keyLine < lines.length && !/^spec:/.test(lines[keyLine])) keyLine++;
  return { line, character: lines[line].length, keyLine: keyLine + 1 };
}

/**
 * Types `count` edits at one point (a character in, then out), each timed from didChange to the
 * diagnostics of its version; `pauseMs` between edits (a typist's pace). `until` stops early.
 */
export async function typeEdits(client: LspTestClient, pubs: Publications, uri: string, text: string, count: number, pauseMs = 0, until?: () => boolean): Promise<number[]> {
  const at = editPoint(text);
  const out: number[] = [];
  for (let e = 0; e < count && !(until?.() ?? false); e++) {
    const insert = e % 2 === 0;
    const range = insert
      ? { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character } }
      : { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character + 1 } };
    const seen = pubs.count;
    const t = now();
    const v = client.change(uri, [{ range, text: insert ? 'x' : '' }]);
    await pubs.next(uri, seen, v);
    out.push(now() - t);
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
  // Leave the text as it was: an odd count leaves one character typed.
  if (out.length % 2 === 1) {
    const seen = pubs.count;
    const v = client.change(uri, [{ range: { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character + 1 } }, text: '' }]);
    await pubs.next(uri, seen, v);
  }
  return out;
}

/** Times `count` requests of one kind. */
export async function timeRequests(client: LspTestClient, method: string, params: unknown, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = now();
    await client.request(method, params);
    out.push(now() - t);
  }
  return out;
}
