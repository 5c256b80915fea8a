import { isUtf8 } from 'node:buffer';
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

/** A file's text, and where its bytes stop being valid UTF-8 (invalid bytes read as U+FFFD). */
export interface SourceFile {
  text: string;
  /** Byte offset of the first invalid UTF-8 sequence; undefined when the file is valid UTF-8. */
  invalidUtf8At?: number;
}

/** Reads a file once: its text, and (only when Node's validator says it is not UTF-8) the first bad byte. */
export function readSource(path: string): SourceFile {
  const bytes = readFileSync(path);
  return { text: bytes.toString('utf8'), invalidUtf8At: isUtf8(bytes) ? undefined : firstInvalidUtf8(bytes) };
}

/** The byte offset of the first invalid UTF-8 sequence, or undefined when the bytes are valid UTF-8. */
function firstInvalidUtf8(b: Uint8Array): number | undefined {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    if (n === 2 && ((c === 0xe0 && b[i + 1] < 0xa0) || (c === 0xed && b[i + 1] > 0x9f))) return i; // overlong, surrogates
    if (n === 3 && ((c === 0xf0 && b[i + 1] < 0x90) || (c === 0xf4 && b[i + 1] > 0x8f))) return i;
    i += n + 1;
  }
  return undefined;
}
