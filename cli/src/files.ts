import { isUtf8 } from 'node:buffer';
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { InputError } from './io';

const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out']);

/** A path as istio-sec prints it, in every output format and message: relative to the working directory, '/'-separated. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, path));
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
};

/** The one wording of an input that cannot be read, for every subcommand: `cannot read <path>: <reason>`. */
export function unreadable(path: string, cwd: string, err: unknown): InputError {
  const e = err as NodeJS.ErrnoException;
  return new InputError(`cannot read ${displayPath(path, cwd)}: ${REASONS[e.code ?? ''] ?? e.message}`);
}

/**
 * Expands files and directories (relative to cwd) into absolute YAML file paths (directories searched
 * recursively, sorted), each one readable; otherwise throws the InputError of the first that is not.
 */
export function collectYamlFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean): void => {
    try {
      if (statSync(p).isDirectory()) {
        for (const name of readdirSync(p).sort()) {
          if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
          visit(join(p, name), false);
        }
      } else if (explicit || YAML_FILE.test(p)) {
        accessSync(p, constants.R_OK);
        out.push(p);
      }
    } catch (err) {
      throw err instanceof InputError ? err : unreadable(p, cwd, err);
    }
  };
  for (const p of paths) visit(resolve(cwd, p), true);
  return out;
}

/** Throws the InputError of a path named on the command line (relative to cwd) that cannot be read. */
export function ensureReadable(path: string, cwd: string): void {
  try {
    accessSync(resolve(cwd, path), constants.R_OK);
  } catch (err) {
    throw unreadable(path, cwd, err);
  }
}

/** The text of an input file named on the command line (relative to cwd), or the InputError saying why not. */
export function readInput(path: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw unreadable(path, cwd, err);
  }
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
