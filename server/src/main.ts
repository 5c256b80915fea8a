import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './server';

/**
 * Entry point of the language server. `--node-ipc` (VS Code client) and `--socket=N` are
 * handled by vscode-languageserver; anything else, `--stdio` included, means stdio.
 */
export function runServer(argv: readonly string[] = process.argv): void {
  const wantsOther = argv.some((a) => a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
  const connection = wantsOther
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  // Nothing but LSP may reach stdout over stdio: route stray console output to stderr.
  console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
  console.info = console.log;
  startServer(connection);
}

if (require.main === module) runServer();
