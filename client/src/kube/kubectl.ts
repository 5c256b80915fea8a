/**
 * Runs kubectl as a child process without a shell (util/src/run.ts, shared with the engine's
 * renderers): arguments are passed as an array, so file names and context names are never
 * interpreted. Output is streamed to a callback; an AbortSignal or the timeout kills the process.
 * No `vscode` import.
 */
import { runProgram, type RunResult } from '../../../util/src/run';

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

export type { RunResult };

/** The arguments kubectl gets: --kubeconfig from the setting, then the command's own. */
export function kubectlArgv(settings: KubectlSettings, args: string[]): string[] {
  return settings.kubeconfig ? ['--kubeconfig', settings.kubeconfig, ...args] : [...args];
}

export function runKubectl(options: RunOptions): Promise<RunResult> {
  const { settings } = options;
  return runProgram(settings.path, kubectlArgv(settings, options.args), { env: options.env, timeoutMs: settings.timeoutMs, signal: options.signal, onOutput: options.onOutput });
}
