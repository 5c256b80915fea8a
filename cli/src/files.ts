import { isUtf8 } from 'node:buffer';
import { accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { MAX_FILE_BYTES } from '../../engine/src/host/index';
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

/** A path given or found that is not read: why (one warning each in `check`). */
export interface SkippedEntry {
  path: string;
  reason: string;
}

/** The YAML files to read (each once) and the entries that cannot be read, in traversal order. */
export interface CollectedInputs {
  entries: Array<string | SkippedEntry>;
  files: string[];
  skipped: SkippedEntry[];
}

/** What a non-regular file is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe): reading it could block forever';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Why a path cannot be used, from the error of stat/readdir/open/read. */
function errorReason(err: unknown, what: string): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ELOOP') return 'a symbolic link loop (ELOOP)';
  if (code === 'ENOENT') return 'a symbolic link to a missing file (ENOENT)';
  if (code === 'EACCES' || code === 'EPERM') return `${what} cannot be read (${code}: permission denied)`;
  return `${what} cannot be read (${code || (err as Error).message})`;
}

/**
 * Expands files and directories into YAML file paths: directories searched recursively in name
 * order (each directory once, so symlinked directory loops end), every file once (by device and
 * inode), nothing opened. Entries that cannot be used (FIFOs, sockets, symlink loops, dangling
 * links, unreadable directories) are listed in `skipped` instead of aborting; a path given on the
 * command line that does not exist throws (a usage error).
 */
export function collectInputs(paths: readonly string[], cwd: string): CollectedInputs {
  const entries: Array<string | SkippedEntry> = [];
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  const skip = (path: string, reason: string): void => {
    skipped.push({ path, reason });
    entries.push({ path, reason });
  };
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const visit = (p: string, explicit: boolean): void => {
    if (explicit) {
      try {
        lstatSync(p);
      } catch (err) {
        throw unreadable(p, cwd, err); // a path named on the command line that does not exist
      }
    }
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      if (explicit || YAML_FILE.test(p)) skip(p, errorReason(err, 'it'));
      return;
    }
    const id = `${st.dev}:${st.ino}`;
    if (st.isDirectory()) {
      if (seenDirs.has(id)) return;
      seenDirs.add(id);
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch (err) {
        skip(p, errorReason(err, 'the directory'));
        return;
      }
      for (const name of names) {
        if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
        visit(join(p, name), false);
      }
    } else if (explicit || YAML_FILE.test(p)) {
      if (!st.isFile()) skip(p, kindOf(st));
      else if (!seenFiles.has(id)) {
        seenFiles.add(id);
        files.push(p);
        entries.push(p);
      }
    }
  };
  for (const p of paths) visit(resolve(cwd, p), true);
  return { entries, files, skipped };
}

/** Expands files and directories into the YAML files to read (see collectInputs; skipped entries dropped). */
export function collectYamlFiles(paths: readonly string[], cwd: string): string[] {
  return collectInputs(paths, cwd).files;
}

/** A file's text, and where its bytes stop being valid UTF-8 (invalid bytes read as U+FFFD). */
export interface SourceFile {
  text: string;
  /** Byte offset of the first invalid UTF-8 sequence; undefined when the file is valid UTF-8. */
  invalidUtf8At?: number;
}

/** The outcome of reading one file with bounds. */
export type ReadOutcome = { ok: true; source: SourceFile } | { ok: false; tooLarge?: number; reason: string };

/**
 * Reads a file once, bounded before it happens: opened without blocking (a FIFO swapped in after
 * the directory listing cannot hang), checked to be a regular file, refused above `maxBytes`
 * (size from fstat, and again while reading, for files that grow or misreport their size).
 */
export function readBounded(path: string, maxBytes: number = MAX_FILE_BYTES): { ok: true; bytes: Buffer } | { ok: false; tooLarge?: number; reason: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: errorReason(err, 'the file') };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: kindOf(st) };
    if (st.size > maxBytes) return { ok: false, tooLarge: st.size, reason: `it has ${st.size} bytes` };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, Math.max(st.size - total, 0) + 65536));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { ok: false, tooLarge: total, reason: `it has more than ${maxBytes} bytes` };
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (err) {
    return { ok: false, reason: errorReason(err, 'the file') };
  } finally {
    closeSync(fd);
  }
}

/** Throws the InputError of a path named on the command line (relative to cwd) that cannot be read. */
export function ensureReadable(path: string, cwd: string): void {
  try {
    accessSync(resolve(cwd, path), constants.R_OK);
  } catch (err) {
    throw unreadable(path, cwd, err);
  }
}

/** The text of an input file named on the command line (relative to cwd), read with the bounds of readBounded, or the InputError saying why not. */
export function readInput(path: string, cwd: string): string {
  ensureReadable(path, cwd);
  const r = readBounded(resolve(cwd, path));
  if (r.ok) return r.bytes.toString('utf8');
  const reason = r.tooLarge !== undefined ? `${r.reason}, more than the ${MAX_FILE_BYTES} bytes istio-sec reads` : r.reason;
  throw new InputError(`cannot read ${displayPath(path, cwd)}: ${reason}`);
}

/** Reads a file once: its text, and (only when Node's validator says it is not UTF-8) the first bad byte. */
export function readSource(path: string): ReadOutcome {
  const r = readBounded(path);
  if (!r.ok) return r;
  const bytes = r.bytes;
  return { ok: true, source: { text: bytes.toString('utf8'), invalidUtf8At: isUtf8(bytes) ? undefined : firstInvalidUtf8(bytes) } };
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
