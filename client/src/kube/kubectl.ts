/**
 * Runs kubectl as a child process without a shell: arguments are passed as an array, so file
 * names and context names are never interpreted. Output is streamed to a callback; an
 * AbortSignal or the timeout kills the process. No `vscode` import.
 */
import { spawn } from 'node:child_process';

export interface KubectlSettings {
  /** The kubectl executable: a name looked up on PATH or a path. */
  path: string;
  /** A kubeconfig file passed as --kubeconfig; undefined lets kubectl read KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Kills kubectl after this many milliseconds (0: no limit). */
  timeoutMs: number;
}

export interface RunOptions {
  settings: KubectlSettings;
  args: string[];
  /** Cancels the run: kubectl is killed. */
  signal?: AbortSignal;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  /** The full command line, for the output channel. */
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
  /** Set when kubectl could not be started (ENOENT: not found, EACCES: not executable). */
  spawnError?: NodeJS.ErrnoException;
}

/** The arguments kubectl gets: --kubeconfig from the setting, then the command's own. */
export function kubectlArgv(settings: KubectlSettings, args: string[]): string[] {
  return settings.kubeconfig ? ['--kubeconfig', settings.kubeconfig, ...args] : [...args];
}

export function runKubectl(options: RunOptions): Promise<RunResult> {
  const { settings, signal, onOutput } = options;
  const argv = kubectlArgv(settings, options.args);
  return new Promise((resolve) => {
    const result: RunResult = { argv: [settings.path, ...argv], exitCode: null, stdout: '', stderr: '', cancelled: false, timedOut: false };
    if (signal?.aborted) {
      resolve({ ...result, cancelled: true });
      return;
    }
    const child = spawn(settings.path, argv, { shell: false, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      result.cancelled = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (settings.timeoutMs > 0) {
      timer = setTimeout(() => {
        result.timedOut = true;
        kill();
      }, settings.timeoutMs);
    }
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      result[stream] += text;
      onOutput?.(text, stream);
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
