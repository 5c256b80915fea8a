/**
 * Runs a renderer (`helm template`, `kubectl kustomize`) as a child process without a shell
 * (util/src/run.ts): arguments are an array, so paths are never interpreted; a timeout or an
 * AbortSignal kills it, and output is bounded. Finds the program on PATH first.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { runProgram, type RunOptions, type RunResult } from '../../../util/src/run';

export type ToolRun = RunResult;

export interface ToolOptions extends Omit<RunOptions, 'onOutput'> {
  /** Kills the program after this many milliseconds (default 60 s; 0: no limit). */
  timeoutMs?: number;
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

/** Runs a renderer with its limits (util/src/run.ts does the process handling). */
export function runTool(command: string, args: readonly string[], opts: ToolOptions = {}): Promise<ToolRun> {
  return runProgram(command, args, { ...opts, timeoutMs: opts.timeoutMs ?? 60_000, maxOutput: opts.maxOutput ?? 64 * 1024 * 1024 });
}

/** One line saying why a run failed, or undefined when it succeeded. */
export function runFailure(run: ToolRun): string | undefined {
  if (run.spawnError) return `${run.argv[0]} could not be started (${run.spawnError.code ?? run.spawnError.message})`;
  if (run.cancelled) return `${run.argv.join(' ')} was cancelled`;
  if (run.timedOut) return `${run.argv.join(' ')} did not finish in time and was stopped`;
  if (run.exitCode !== 0) return `${run.argv.join(' ')} failed (exit ${run.exitCode}): ${run.stderr.trim() || 'no message'}`;
  return undefined;
}
