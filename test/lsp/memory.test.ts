import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerStats } from '../../protocol/src/index';
import { fileUri, LspTestClient } from '../helpers/lspClient';

/**
 * Memory over time: after 10,000 edits in one session the server's live heap (measured by the
 * server right after a forced garbage collection: it runs with --expose-gc and answers
 * istio/serverStats) is within 10% of where it was after 1,000. A leak of one analysis per
 * keystroke (~27 kB) grows it by ~240 MB. RSS is reported too (allocator and GC heuristics make it
 * noisy, so it is not the bound). Figures go to stderr for docs/reliability.md.
 */
function policy(i: number): string {
  return [
    'apiVersion: security.istio.io/v1',
    'kind: AuthorizationPolicy',
    'metadata:',
    `  name: policy-${i}`,
    '  namespace: foo',
    'spec:',
    '  action: ALLOW',
    '  rules:',
    '  - from:',
    '    - source:',
    `        principals: ["cluster.local/ns/foo/sa/sa-${i}"]`,
    '    to:',
    '    - operation:',
    '        methods: ["GET"]',
    `        paths: ["/api/${i}/*"]`,
    '',
  ].join('\n');
}

const DOCS = 100;
/** Lines of one policy plus its `---` separator. */
const LINES_PER_DOC = 16;

describe('server memory over 10,000 edits', { timeout: 240_000 }, () => {
  it('the live heap after 10,000 edits is within 10% of the heap after 1,000', async () => {
    const client = await LspTestClient.start({ nodeArgs: ['--expose-gc'] });
    try {
      const uri = fileUri('memory.yaml');
      let version = client.open(uri, Array.from({ length: DOCS }, (_, i) => policy(i)).join('---\n'));
      await client.diagnosticsFor(uri, version, 30_000);
      const samples: Array<[number, ServerStats]> = [];
      const settle = async (): Promise<ServerStats> => {
        await client.diagnosticsFor(uri, version, 30_000);
        return client.request<ServerStats>('istio/serverStats', {});
      };
      for (let edit = 1; edit <= 10_000; edit++) {
        // Type the edit number into a policy name, then delete it: every intermediate text is new
        // (a cache keeping superseded versions grows), and each pair restores the file.
        const doc = (Math.ceil(edit / 2) * 37) % DOCS;
        const at = { line: doc * LINES_PER_DOC + 3, character: 10 };
        const typed = String(Math.ceil(edit / 2));
        const change = edit % 2 === 1 ? { range: { start: at, end: at }, text: typed } : { range: { start: at, end: { line: at.line, character: 10 + typed.length } }, text: '' };
        version = client.change(uri, [change]);
        if (edit % 50 === 0) await client.diagnosticsFor(uri, version, 30_000);
        if (edit === 1000 || edit === 5000 || edit === 10_000) samples.push([edit, await settle()]);
      }
      const mb = (n: number) => Math.round(n / 1e5) / 10;
      const at = Object.fromEntries(samples.map(([edit, s]) => [edit, { heapMB: mb(s.heapUsedBytes), rssMB: mb(s.rssBytes) }]));
      process.stderr.write(`memory: after edits ${JSON.stringify(at)}\n`);
      assert.ok(samples.every(([, s]) => s.collected), 'the server ran with --expose-gc');
      const diagnostics = client.lastDiagnostics(uri)?.diagnostics ?? [];
      assert.deepEqual(diagnostics, [], 'the edits leave a valid file');
      const heap = Object.fromEntries(samples.map(([edit, s]) => [edit, s.heapUsedBytes]));
      assert.ok(heap[10_000] <= heap[1000] * 1.1, `live heap grew from ${mb(heap[1000])} MB (1,000 edits) to ${mb(heap[5000])} MB (5,000) and ${mb(heap[10_000])} MB (10,000)`);
    } finally {
      await client.stop();
    }
  });
});
