/**
 * Runs a renderer (`helm template`, `kubectl kustomize`) as a child process without a shell:
 * arguments are an array, so paths are never interpreted; a timeout or an AbortSignal kills it,
 * and output is bounded.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface ToolRun {
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the program could not be started (ENOENT: not found, EACCES: not executable). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ToolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kills the program after this many milliseconds (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Output past this many characters is an error (default 64 MB). */
  maxOutput?: number;
}

/** The executable a command name resolves to on PATH (or the path itself when it has a slash), else undefined. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = isAbsolute(command) || command.includes('/') ? [command] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, command));
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const c of candidates) {
    for (const ext of exts) {
      try {
        if (!statSync(c + ext).isFile()) continue;
        accessSync(c + ext, constants.X_OK);
        return c + ext;
      } catch {
        // not there, or not executable
      }
    }
  }
  return undefined;
}

export function runTool(command: string, args: readonly string[], opts: ToolOptions = {}): Promise<ToolRun> {
  const max = opts.maxOutput ?? 64 * 1024 * 1024;
  return new Promise((resolve) => {
    const run: ToolRun = { argv: [command, ...args], exitCode: null, stdout: '', stderr: '', timedOut: false, cancelled: false };
    if (opts.signal?.aborted) return resolve({ ...run, cancelled: true });
    const child = spawn(command, [...args], { cwd: opts.cwd, env: opts.env ?? process.env, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      run.cancelled = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      run.timedOut = true;
      kill();
    }, opts.timeoutMs ?? 60_000);
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
      run[stream] += chunk.toString('utf8');
      if (run[stream].length > max) {
        run.stderr += `\noutput larger than ${max} characters: stopped`;
        kill();
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(run);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      run.spawnError = err;
      finish();
    });
    child.on('close', (code) => {
      run.exitCode = code;
      finish();
    });
  });
}

/** One line saying why a run failed, or undefined when it succeeded. */
export function runFailure(run: ToolRun): string | undefined {
  if (run.spawnError) return `${run.argv[0]} could not be started (${run.spawnError.code ?? run.spawnError.message})`;
  if (run.cancelled) return `${run.argv.join(' ')} was cancelled`;
  if (run.timedOut) return `${run.argv.join(' ')} did not finish in time and was stopped`;
  if (run.exitCode !== 0) return `${run.argv.join(' ')} failed (exit ${run.exitCode}): ${run.stderr.trim() || 'no message'}`;
  return undefined;
}
