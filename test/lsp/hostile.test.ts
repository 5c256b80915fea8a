import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { Hover } from 'vscode-languageserver';
import { ROOT } from '../helpers/build';
import { runCli, runCliAsync } from '../helpers/cli';
import { makeKey, requestAuthentication, sendJson, type TestKey } from '../helpers/jwks';
import { signToken } from '../helpers/jwtSign';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { startHttpServer, type LoopbackServer } from '../helpers/loopbackServers';

/**
 * Secrets, workspace trust and faults at the process level: tokens never reach logs, an untrusted
 * workspace makes no request even while indexing, and the server ends (cleanly, quickly) when its
 * client goes away.
 */
const LOG_METHODS = new Set(['window/logMessage', 'window/showMessage', 'telemetry/event', '$/logTrace']);

function tokenFile(token: string): string {
  return [
    '# curl -H "Authorization: Bearer ' + token + '" https://httpbin.example.com/headers',
    requestAuthentication([{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks.json' }]).trimEnd(),
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: token',
    'stringData:',
    `  token: ${token}`,
    `  broken: ${token.slice(0, -3)}!!!`,
    '',
  ].join('\n');
}

/** Waits for a process to exit; resolves with its exit code, or 'running' after `ms`. */
function exitWithin(proc: ReturnType<typeof spawn>, ms: number): Promise<number | string | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve('running'), ms);
    proc.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve(code ?? signal);
    });
  });
}

describe('secrets: tokens never written to logs', { timeout: 60_000 }, () => {
  let key: TestKey;
  let token: string;
  before(async () => {
    key = await makeKey('RS256', 'secret-key');
    token = await signToken(key.privateJwk, { iss: 'https://issuer.example.com', sub: 'alice', aud: 'httpbin', exp: Math.floor(Date.now() / 1000) + 3600 });
  });

  it('an LSP session that opens, hovers, decodes and verifies a token logs neither the token nor its signature', async () => {
    const client = await LspTestClient.start({ initializationOptions: { trusted: false, settings: { offline: true } } });
    try {
      const uri = fileUri('secret-token.yaml');
      const text = tokenFile(token);
      const v = client.open(uri, text);
      await client.diagnosticsFor(uri, v);
      const lines = text.split('\n');
      const hovers: Hover[] = [];
      for (const [i, l] of lines.entries()) {
        const at = l.indexOf(token.slice(0, 20));
        if (at >= 0) hovers.push(await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: i, character: at + 5 } }));
      }
      assert.ok(hovers.some((h) => h && JSON.stringify(h).includes('alice')), 'the hover decodes the token');
      await client.request('istio/decodeJwt', { token });
      await client.request('istio/decodeJwt', { token: token + '.extra' });
      await client.request('istio/verifyJwt', { token, rule: { namespace: 'foo', name: 'jwt', ruleIndex: 0 } }).catch(() => undefined);
      await client.request('istio/jwtAt', { uri, position: { line: 0, character: 40 } });
      client.change(uri, [{ text: text.replace('alice', 'x') }]);
      client.close(uri);
      await client.request('textDocument/documentSymbol', { textDocument: { uri: fileUri('other.yaml') } }).catch(() => undefined);
      const logs = client.notifications.filter((n) => LOG_METHODS.has(n.method)).map((n) => JSON.stringify(n.params));
      const everything = [...logs, client.stderr.join('')].join('\n');
      const signature = token.split('.')[2];
      assert.ok(!everything.includes(token), 'the token is not logged');
      assert.ok(!everything.includes(signature), 'its signature is not logged');
      for (const d of client.lastDiagnostics(uri)?.diagnostics ?? []) assert.ok(!d.message.includes(signature), `diagnostic ${String(d.code)} shows the signature`);
    } finally {
      await client.stop();
    }
  });

  it('istio-sec check on a file containing a token prints neither the token nor its signature', () => {
    const dir = tempDir('istio-sec-secret-');
    try {
      const file = join(dir, 'token.yaml');
      writeFileSync(file, tokenFile(token));
      for (const args of [['check', file], ['check', '--format', 'json', file]]) {
        const r = runCli(args);
        assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: status ${r.status} ${r.stderr}`);
        const out = r.stdout + r.stderr;
        assert.ok(!out.includes(token.split('.')[2]), `${args.join(' ')} shows the signature`);
        assert.ok(!out.includes(token), `${args.join(' ')} shows the token`);
      }
    } finally {
      removeTempDir(dir);
    }
  });
});

describe('workspace trust: no request while untrusted', { timeout: 60_000 }, () => {
  let server: LoopbackServer;
  let dir: string;
  before(async () => {
    const key = await makeKey('RS256', 'k');
    server = await startHttpServer((_req, res) => sendJson(res, { keys: [key.publicJwk] }));
    dir = tempDir('istio-sec-untrusted-');
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, `ra-${i}.yaml`), requestAuthentication([{ issuer: `https://i${i}.example.com`, jwksUri: `${server.origin}/jwks-${i}.json` }]));
    }
    writeFileSync(join(dir, 'discovery.yaml'), requestAuthentication([{ issuer: server.origin }]));
  });
  after(async () => {
    await server.close();
    removeTempDir(dir);
  });

  it('indexing a workspace of files with jwksUri (and an issuer to discover) makes no request; trusted, opening one does', async () => {
    const untrusted = await LspTestClient.start({ workspaceFolder: dir, initializationOptions: { trusted: false } });
    try {
      const indexed = await untrusted.request<{ resources: number }>('istio/indexReady', {});
      assert.equal(indexed.resources, 6);
      const uri = pathToFileURL(join(dir, 'ra-0.yaml')).toString();
      const v = untrusted.open(uri, requestAuthentication([{ issuer: 'https://i0.example.com', jwksUri: `${server.origin}/jwks-0.json` }]));
      await untrusted.diagnosticsFor(uri, v);
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(server.requests, [], 'no request in an untrusted workspace');
    } finally {
      await untrusted.stop();
    }
    // The same workspace, trusted: the test can fail (a request is made).
    const trusted = await LspTestClient.start({ workspaceFolder: dir, initializationOptions: { trusted: true } });
    try {
      await trusted.request('istio/indexReady', {});
      const uri = pathToFileURL(join(dir, 'ra-1.yaml')).toString();
      trusted.open(uri, requestAuthentication([{ issuer: 'https://i1.example.com', jwksUri: `${server.origin}/jwks-1.json` }]));
      await trusted.waitFor(() => server.requests.length > 0 || undefined, 10_000, 'a JWKS request when trusted');
    } finally {
      await trusted.stop();
    }
  });
});

describe('faults: the client goes away', { timeout: 60_000 }, () => {
  it('a client that disconnects abruptly mid-session (requests in flight) makes the server exit without a crash', async () => {
    const client = await LspTestClient.start();
    const uri = fileUri('abrupt.yaml');
    const v = client.open(uri, 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\nspec:\n  action: DENYY\n'.repeat(200));
    await client.diagnosticsFor(uri, v);
    client.change(uri, [{ text: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n' }]);
    for (let i = 0; i < 20; i++) void client.request('textDocument/documentSymbol', { textDocument: { uri } }).catch(() => undefined);
    await new Promise((r) => setImmediate(r)); // the writes reach the pipe; the answers never get read
    client.proc.stdin!.destroy();
    client.proc.stdout!.destroy();
    const code = await exitWithin(client.proc, 5000);
    assert.notEqual(code, 'running', 'the server is still running 5 s after its client vanished');
    assert.doesNotMatch(client.stderr.join(''), /Uncaught|TypeError|ReferenceError|RangeError|at .*\.js:\d+/);
    client.connection.dispose();
  });

  it('garbage and a truncated message on stdin do not crash the server: it still answers, then exits when stdin closes', async () => {
    const client = await LspTestClient.start();
    const proc = client.proc;
    proc.stdin!.write('Content-Length: 9\r\n\r\n{"bad":!}');
    const uri = fileUri('after-garbage.yaml');
    const v = client.open(uri, 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: g\nspec:\n  action: DENYY\n');
    const diagnostics = await client.diagnosticsFor(uri, v);
    assert.equal(diagnostics[0]?.code, 'schema-enum');
    proc.stdin!.end('Content-Length: 100\r\n\r\n{"jsonrpc":"2.0"');
    const code = await exitWithin(proc, 5000);
    assert.notEqual(code, 'running');
    client.connection.dispose();
  });

  it('`istio-sec lsp --stdio` exits within a few seconds when stdin closes', async () => {
    const proc = spawn(process.execPath, [join(ROOT, 'bin', 'istio-sec.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 500));
    proc.stdin.end();
    const code = await exitWithin(proc, 5000);
    if (code === 'running') proc.kill('SIGKILL');
    assert.notEqual(code, 'running', 'istio-sec lsp is still running 5 s after stdin closed');
    assert.doesNotMatch(stderr, /Uncaught|TypeError/);
  });
});

describe('CLI on a file with invalid UTF-8 bytes', { timeout: 60_000 }, () => {
  it('validates it, with positions right after the bad bytes', async () => {
    const dir = tempDir('istio-sec-utf8-');
    try {
      const file = join(dir, 'bad-bytes.yaml');
      const head = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n  labels:\n    note: "';
      writeFileSync(file, Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"\nspec:\n  action: DENYY\n')]));
      const r = await runCliAsync(['check', '--format', 'json', file]);
      assert.equal(r.status, 1, r.stderr);
      const out = JSON.parse(r.stdout) as unknown;
      const text = JSON.stringify(out);
      assert.match(text, /schema-enum/);
      assert.match(text, /"line":7/, 'the DENYY finding is on line 8 (0-based 7)');
    } finally {
      removeTempDir(dir);
    }
  });
});
