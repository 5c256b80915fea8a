/**
 * Runs a program as a child process without a shell: arguments are an array, so file, chart and
 * context names are never interpreted. A timeout or an AbortSignal kills it; output may be bounded
 * and streamed. Used by the engine's renderers (helm, kubectl kustomize) and the client's kubectl
 * commands. Node only: this module imports nothing of the project, so every layer may import it.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kills the program after this many milliseconds; 0 or undefined: no limit. */
  timeoutMs?: number;
  /** Cancels the run: the program is killed. */
  signal?: AbortSignal;
  /** Output (stdout or stderr) past this many characters kills the program and says so on stderr; undefined: no limit. */
  maxOutput?: number;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunResult {
  /** The full command line, for messages and output channels. */
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
  /** Set when the program could not be started (ENOENT: not found, EACCES: not executable). */
  spawnError?: NodeJS.ErrnoException;
}

export function runProgram(command: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const { signal, onOutput, maxOutput } = opts;
  return new Promise((resolve) => {
    const result: RunResult = { argv: [command, ...args], exitCode: null, stdout: '', stderr: '', cancelled: false, timedOut: false };
    if (signal?.aborted) {
      resolve({ ...result, cancelled: true });
      return;
    }
    const child = spawn(command, [...args], { cwd: opts.cwd, env: opts.env ?? process.env, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      result.cancelled = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      opts.timeoutMs && opts.timeoutMs > 0
        ? setTimeout(() => {
            result.timedOut = true;
            kill();
          }, opts.timeoutMs)
        : undefined;
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      result[stream] += text;
      onOutput?.(text, stream);
      if (maxOutput !== undefined && result[stream].length > maxOutput) {
        result.stderr += `\noutput larger than ${maxOutput} characters: stopped`;
        kill();
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      result.spawnError = err;
      finish();
    });
    child.on('close', (code) => {
      result.exitCode = code;
      finish();
    });
  });
}
