/** What a CLI command may touch: injected so commands are testable in-process and by spawning. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input as UTF-8; rejects with StdinTooLarge past `maxBytes` (nothing more is buffered). */
  readStdin(maxBytes: number): Promise<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: parses its own arguments, returns the exit status (0 ok, 1 findings, 2 usage/internal). */
export type Command = (args: string[], io: CliIO) => Promise<number>;

export class UsageError extends Error {}

/** Standard input is larger than the command reads. */
export class StdinTooLarge extends UsageError {
  constructor(readonly maxBytes: number) {
    super(`standard input has more than ${maxBytes} bytes; nothing was read past that`);
  }
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
