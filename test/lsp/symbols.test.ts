import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol } from 'vscode-languageserver';
import { fileUri, LspTestClient } from '../helpers/lspClient';

describe('LSP document symbols', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('outlines every Istio document as Kind namespace/name, skipping other documents', async () => {
    const uri = fileUri('outline.yaml');
    const text = [
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: web\nspec: {}\n',
      '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n',
      '---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-all\nspec: {}\n',
    ].join('');
    client.open(uri, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.range.start.line, s.range.end.line, s.selectionRange]),
      [
        ['Gateway web/gw', 'networking.istio.io/v1', 0, 6, { start: { line: 3, character: 8 }, end: { line: 3, character: 10 } }],
        ['AuthorizationPolicy allow-all', 'security.istio.io/v1', 11, 17, { start: { line: 15, character: 8 }, end: { line: 15, character: 17 } }],
      ],
    );
  });
});
