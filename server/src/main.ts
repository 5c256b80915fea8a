import { ConnectionError, createConnection, type Connection, ProposedFeatures, StreamMessageWriter } from 'vscode-languageserver/node';
import { RecoveringMessageReader } from './frameReader';
import { startServer } from './server';

/** Errors that only say the client has gone (closed pipe or connection). */
const CLOSED_STREAM_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);
function isClientGone(err: unknown): boolean {
  return err instanceof ConnectionError || CLOSED_STREAM_CODES.has((err as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/**
 * When the client vanishes with messages in flight, vscode-jsonrpc rejects promises no caller can
 * catch (its own error log writes to the closed connection). Those are ignored: the server exits on
 * end of input. Any other unhandled rejection still crashes, as Node does by default.
 */
function ignoreClientGone(reason: unknown): void {
  if (!isClientGone(reason)) throw reason;
}

/**
 * Given reader objects (not raw streams), vscode-languageserver does not watch stdin: without this
 * a server whose client vanished lives on (timers, the parent-process watchdog). Exit code as the
 * LSP `exit` notification: 0 after `shutdown`, 1 otherwise.
 */
function exitAtEndOfInput(connection: Connection): void {
  let shutdown = false;
  connection.onShutdown(() => {
    shutdown = true;
  });
  const exit = (): void => process.exit(shutdown ? 0 : 1);
  process.stdin.once('end', exit);
  process.stdin.once('close', exit);
}

/**
 * Entry point of the language server. `--node-ipc` (VS Code client) and `--socket=N` are
 * handled by vscode-languageserver; anything else, `--stdio` included, means stdio.
 */
export function runServer(argv: readonly string[] = process.argv): void {
  process.on('unhandledRejection', ignoreClientGone);
  const wantsOther = argv.some((a) => a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
  // Over stdio, a malformed frame is logged on stderr and skipped (see frameReader.ts): the
  // library's reader would wait forever for a wrong Content-Length and ignore everything after it.
  const logFrame = (message: string): void => void process.stderr.write(`istio-sec language server: ${message}\n`);
  const connection = wantsOther
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, new RecoveringMessageReader(process.stdin, logFrame), new StreamMessageWriter(process.stdout));
  if (!wantsOther) exitAtEndOfInput(connection);
  // Nothing but LSP may reach stdout over stdio: route stray console output to stderr.
  console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
  console.info = console.log;
  startServer(connection);
}

if (require.main === module) runServer();
