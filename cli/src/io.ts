/** What a CLI command may touch: injected so commands are testable in-process and by spawning. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: parses its own arguments, returns the exit status (0 ok, 1 findings, 2 usage/internal). */
export type Command = (args: string[], io: CliIO) => Promise<number>;

export class UsageError extends Error {}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
