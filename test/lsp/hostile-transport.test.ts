/**
 * The language server over stdio with a misbehaving client (issue 17): malformed frames are logged
 * and skipped (the server keeps answering), a didChange that reuses a version number still
 * updates the diagnostics, and key sets of any size give bounded diagnostics in the editor.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StreamMessageReader } from 'vscode-languageserver/node';
import { ensureBuilt, ROOT } from '../helpers/build';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { badKeysJwks, duplicateKidJwks, inlineJwksManifest } from '../engine/hostileInputs';

/** The server with raw access to its stdin: frames are written byte for byte. */
class RawServer {
  readonly proc: ChildProcess;
  readonly responses = new Map<number, unknown>();
  stderr = '';

  constructor() {
    ensureBuilt();
    this.proc = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const reader = new StreamMessageReader(this.proc.stdout!);
    reader.partialMessageTimeout = 0;
    reader.listen((m) => {
      const msg = m as { id?: number; result?: unknown; error?: unknown };
      if (typeof msg.id === 'number' && ('result' in msg || 'error' in msg)) this.responses.set(msg.id, msg.result ?? msg.error);
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  write(bytes: string): void {
    this.proc.stdin!.write(bytes);
  }

  frame(message: unknown, length?: number): string {
    const body = JSON.stringify({ jsonrpc: '2.0', ...(message as object) });
    return `Content-Length: ${length ?? Buffer.byteLength(body)}\r\n\r\n${body}`;
  }

  async response(id: number, timeoutMs = 8000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (!this.responses.has(id)) {
      if (Date.now() > deadline) throw new Error(`no response to request ${id} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.responses.get(id);
  }

  stop(): void {
    this.proc.kill('SIGKILL');
  }
}

describe('LSP over stdio: malformed frames are logged and skipped', () => {
  let server: RawServer;
  before(async () => {
    server = new RawServer();
    server.write(server.frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { settings: { offline: true } } } }));
    await server.response(1);
    server.write(server.frame({ method: 'initialized', params: {} }));
  });
  after(() => server.stop());

  const ping = (id: number): string => server.frame({ id, method: 'istio/indexReady', params: {} });

  it('a Content-Length too small: the frame is skipped, the next request answered', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 90, method: 'istio/indexReady', params: {} });
    server.write(`Content-Length: 10\r\n\r\n${body}`);
    server.write(ping(2));
    await server.response(2);
    assert.match(server.stderr, /malformed LSP frame: the 10 bytes after Content-Length: 10 are not a JSON object/);
  });

  it('a Content-Length too large, followed by more requests: the message is read up to the next header', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'istio/indexReady', params: {} });
    server.write(`Content-Length: 5000\r\n\r\n${body}`);
    server.write(ping(4));
    await server.response(3);
    await server.response(4);
    assert.match(server.stderr, /Content-Length: 5000 but the next header came after \d+ bytes/);
  });

  it('a Content-Length too large on the last message: it is read once nothing more comes', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'istio/indexReady', params: {} });
    server.write(`Content-Length: 9000\r\n\r\n${body}`);
    await server.response(5);
    assert.match(server.stderr, /Content-Length: 9000 but the message ended after \d+ bytes/);
  });

  it('a header without a number, or without Content-Length, is skipped', async () => {
    server.write(`Content-Length: ten\r\n\r\n{"jsonrpc":"2.0","id":91,"method":"istio/indexReady"}`);
    server.write(ping(6));
    await server.response(6);
    assert.match(server.stderr, /header "Content-Length: ten" has no valid Content-Length/);
    server.write(`Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","id":92,"method":"istio/indexReady"}`);
    await new Promise((r) => setTimeout(r, 100));
    server.write(ping(7));
    await server.response(7);
    assert.match(server.stderr, /header "Content-Type: application\/json" has no valid Content-Length/);
    assert.ok(!server.responses.has(91) && !server.responses.has(92), 'the skipped frames are not answered');
  });
});

describe('LSP over stdio: a misbehaving or hostile document', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  const BAD = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\nspec:\n  action: DENYY\n';

  it('a didChange that reuses the version number still updates the diagnostics', async () => {
    const uri = fileUri('reused-version.yaml');
    client.open(uri, BAD);
    const first = await client.diagnosticsFor(uri, 1);
    assert.equal(first.filter((d) => d.code === 'schema-enum').length, 1);
    // Same version, whole new text (no ranged edit): the fix of the error.
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text: BAD.replace('DENYY', 'DENY') }] });
    await client.waitFor(() => client.lastDiagnostics(uri)?.diagnostics.every((d) => d.code !== 'schema-enum'), 8000, 'the diagnostics of the new text');
    // And a ranged edit on top, again with a repeated version number.
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 1 },
      contentChanges: [{ range: { start: { line: 5, character: 10 }, end: { line: 5, character: 12 } }, text: 'NX' }],
    });
    await client.waitFor(() => client.lastDiagnostics(uri)?.diagnostics.some((d) => d.code === 'schema-enum'), 8000, 'the error of the edited text');
  });

  it('an inline jwks of 2,000 keys sharing a kid and 300 unusable keys: bounded diagnostics', async () => {
    const dup = fileUri('dup-kid.yaml');
    client.open(dup, inlineJwksManifest(duplicateKidJwks(2000)));
    const d1 = await client.diagnosticsFor(dup, 1, 60_000);
    assert.equal(d1.filter((d) => d.code === 'jwks-duplicate-kid').length, 1);
    const bad = fileUri('bad-keys.yaml');
    client.open(bad, inlineJwksManifest(badKeysJwks(300)));
    const d2 = await client.diagnosticsFor(bad, 1, 60_000);
    assert.ok(d2.length <= 25, `${d2.length} diagnostics`);
    for (const d of d2) assert.ok(d.message.length < 1000, `${d.code}: ${d.message.length} characters`);
  });
});
