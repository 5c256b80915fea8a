import { check, CHECK_USAGE } from './commands/check';
import { decode, DECODE_USAGE } from './commands/decode';
import { migrate, MIGRATE_USAGE } from './commands/migrate';
import { simulate, SIMULATE_USAGE } from './commands/simulate';
import { EXIT, InputError, StdinTooLarge, UsageError, type CliIO, type Command } from './io';
import { VERSION } from './version';

const USAGE = `istio-sec ${VERSION}: Istio security manifests, checked with Istio's own rules.

Usage: istio-sec <command> [options]

Commands:
  check [--format text|json|sarif] [--offline] <file or dir>...   validate manifests
        [--helm <chart> [--values f]] [--kustomize <dir>]         ... or render a chart / overlay and validate the output
  decode <token | -> | --token-file <path>                        decode a JWT (header, payload, times)
  simulate [options] <file or dir>...                             simulate a request against the policies
  migrate [--to current|gateway-api] <file>...                     convert removed Istio APIs, or Istio gateways to the Gateway API
  lsp [--stdio]                                                   run the language server over stdio
  version                                                         print the version

Run 'istio-sec <command> --help' for a command's options.`;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  check: { run: check, usage: CHECK_USAGE },
  decode: { run: decode, usage: DECODE_USAGE },
  simulate: { run: simulate, usage: SIMULATE_USAGE },
  migrate: { run: migrate, usage: MIGRATE_USAGE },
  lsp: {
    run: async () => {
      // The server keeps the process alive; main() must not set an exit code for it.
      const { runServer } = await import('../../server/src/main');
      runServer(['--stdio']);
      return new Promise<number>(() => undefined);
    },
    usage: 'Usage: istio-sec lsp [--stdio]\nRuns the language server over stdio (for Neovim, Helix, Emacs...).',
  },
  version: {
    run: async (_a, io) => {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    },
    usage: 'Usage: istio-sec version',
  },
};

/** Registers a subcommand (used by feature modules: decode, simulate, migrate...). */
export function registerCommand(name: string, run: Command, usage: string): void {
  COMMANDS[name] = { run, usage };
}

export function processIO(): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async (maxBytes) => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const c of process.stdin) {
        total += (c as Buffer).length;
        if (total > maxBytes) {
          process.stdin.destroy();
          throw new StdinTooLarge(maxBytes);
        }
        chunks.push(c as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(`${USAGE}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') return COMMANDS.version.run([], io);
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`istio-sec: unknown command '${name}'\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${cmd.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`istio-sec ${name}: ${err.message}\n\n${cmd.usage}\n`);
      return EXIT.usage;
    }
    if (err instanceof InputError) {
      io.stderr(`istio-sec ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`istio-sec ${name}: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.usage;
  }
}
