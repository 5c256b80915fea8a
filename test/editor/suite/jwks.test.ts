import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { CheckJwksResult } from '../../../protocol/src/index';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, rangeTuple, waitForCode } from './helpers';

const FIXTURE = 'jwks-loopback.yaml';
const KID = 'editor-key-1';

/** A JWKS endpoint on 127.0.0.1 (port picked by the OS) inside the extension host: /jwks.json has one RSA key, anything else is 404. */
interface JwksEndpoint {
  origin: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

async function startJwksEndpoint(): Promise<JwksEndpoint> {
  const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const found = req.url === '/jwks.json';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(found ? { keys: [jwk] } : { error: 'not found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A RequestAuthentication with a good and a missing jwksUri on the endpoint (written at run time: the port is not known before). */
function requestAuthentication(origin: string): string {
  return `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwks-loopback
  namespace: jwkstest
spec:
  jwtRules:
  - issuer: https://good.jwkstest.example.com
    jwksUri: ${origin}/jwks.json
  - issuer: https://bad.jwkstest.example.com
    jwksUri: ${origin}/missing.json
`;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe('JWKS checks against a loopback endpoint', () => {
  let endpoint: JwksEndpoint;
  const uri = (): vscode.Uri => fixtureUri(FIXTURE);

  before(async () => {
    await activateExtension();
    endpoint = await startJwksEndpoint();
    await vscode.workspace.fs.writeFile(uri(), new TextEncoder().encode(requestAuthentication(endpoint.origin)));
  });
  afterEach(closeAllEditors);
  after(async () => {
    await vscode.workspace.fs.delete(uri()).then(undefined, () => undefined);
    await endpoint?.close();
  });

  it('jwks-http-status on the jwksUri that answers 404; hover on the good one shows its key table', async () => {
    const doc = (await openFixture(FIXTURE)).document;
    const d = await waitForCode(doc.uri, 'jwks-http-status');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /404/);
    const missing = `${endpoint.origin}/missing.json`;
    const at = doc.getText().indexOf(missing);
    assert.deepEqual(rangeTuple(d.range), rangeTuple(new vscode.Range(doc.positionAt(at), doc.positionAt(at + missing.length))));
    assert.ok(endpoint.requests.includes('/jwks.json') && endpoint.requests.includes('/missing.json'), `requests: ${endpoint.requests.join(', ')}`);

    const good = doc.positionAt(doc.getText().indexOf(`${endpoint.origin}/jwks.json`) + 5);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, good);
    const text = hoverText(hovers);
    assert.match(text, /Status: \*\*ok\*\*/);
    assert.match(text, /\| kid \| kty \| alg \| use \|/);
    assert.ok(text.includes(`| ${KID} | RSA | RS256 | sig |`), text);
  });

  it('the command istioSecurity.checkJwks with the file URI fetches both endpoints again and reports the problem', async () => {
    await openFixture(FIXTURE);
    const before = endpoint.requests.length;
    const result = await vscode.commands.executeCommand<CheckJwksResult | undefined>('istioSecurity.checkJwks', uri().toString());
    assert.ok(result, 'the command returned its result');
    assert.equal(result.offline, false);
    assert.equal(result.documents, 1, 'one RequestAuthentication document checked');
    assert.ok(result.problems >= 1, `problems: ${result.problems}`);
    const fetched = endpoint.requests.slice(before);
    assert.ok(fetched.includes('/jwks.json') && fetched.includes('/missing.json'), `requests after the command: ${fetched.join(', ')}`);
    await waitForCode(uri(), 'jwks-http-status');
  });
});
