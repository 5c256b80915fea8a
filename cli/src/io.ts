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

/** Arguments the command cannot take: the message and the command's usage are printed, exit 2. */
export class UsageError extends Error {}

/** An input file that cannot be read: the message alone is printed, exit 2. */
export class InputError extends Error {}

/** Standard input is larger than the command reads. */
export class StdinTooLarge extends InputError {
  constructor(readonly maxBytes: number) {
    super(`standard input has more than ${maxBytes} bytes; nothing was read past that`);
  }
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
