import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { CompletionItem, Hover } from 'vscode-languageserver';
import { LspTestClient } from '../helpers/lspClient';

const GATEWAY = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["shop.example.com"]\n';
const LEGACY_NOISE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

describe('LSP: completion and hover', () => {
  let dir: string;
  let client: LspTestClient;
  const uri = (f: string) => pathToFileURL(join(dir, f)).toString();
  before(async () => {
    dir = tempDir('istio-sec-authoring-');
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    client = await LspTestClient.start({ workspaceFolder: dir });
    await client.request('istio/indexReady', {});
  });
  after(async () => {
    await client.stop();
    removeTempDir(dir);
  });

  const completion = (u: string, line: number, character: number) =>
    client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: u }, position: { line, character } });

  it('completes keys at several depths, in the document under the cursor of a multi-document file', async () => {
    const text = `${LEGACY_NOISE}---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\nspec:\n  jwtRules:\n  - issuer: https://idp.example.com\n    \n`;
    const u = uri('keys.yaml');
    client.open(u, text);
    const top = await completion(u, 12, 2);
    assert.ok(top.some((i) => i.label === 'selector') && top.some((i) => i.label === 'targetRefs'));
    assert.ok(!top.some((i) => i.label === 'jwtRules'), 'present keys are omitted');
    const deep = await completion(u, 12, 4);
    const jwks = deep.find((i) => i.label === 'jwksUri');
    assert.ok(jwks);
    assert.deepEqual(jwks.textEdit && 'range' in jwks.textEdit ? jwks.textEdit.range : undefined, { start: { line: 12, character: 4 }, end: { line: 12, character: 4 } });
  });

  it('completes enum values and when keys', async () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\nspec:\n  action: \n  rules:\n  - when:\n    - key: \n';
    const u = uri('values.yaml');
    client.open(u, text);
    assert.deepEqual((await completion(u, 5, 10)).map((i) => i.label), ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);
    const keys = (await completion(u, 8, 11)).map((i) => i.label);
    assert.ok(keys.includes('request.auth.claims[]') && keys.includes('source.principal'), keys.join());
  });

  it('completes gateway names from another file of the workspace', async () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  gateways:\n  - \n';
    const u = uri('vs.yaml');
    client.open(u, text);
    assert.deepEqual((await completion(u, 7, 4)).map((i) => i.label), ['mesh', 'web']);
  });

  it('completes apiVersion/kind pairs in an empty document', async () => {
    const u = uri('empty.yaml');
    client.open(u, '');
    const items = await completion(u, 0, 0);
    const ap = items.find((i) => i.label.startsWith('AuthorizationPolicy'));
    assert.ok(ap?.textEdit && /^apiVersion: security\.istio\.io\/v1\nkind: AuthorizationPolicy/.test(ap.textEdit.newText));
  });

  it('hovers a field, an enum value and a when key', async () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\nspec:\n  action: ALLOW\n  rules:\n  - when:\n    - key: request.auth.claims[groups]\n      values: [admins]\n';
    const u = uri('hover.yaml');
    client.open(u, text);
    const hover = async (line: number, character: number) =>
      ((await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line, character } }))?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(await hover(5, 3), /\*\*action\*\* · `string`[\s\S]*authorization-policy/);
    assert.match(await hover(5, 11), /\*\*`ALLOW`\*\*/);
    assert.match(await hover(8, 20), /condition key/);
  });
});
