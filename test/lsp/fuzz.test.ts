import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver';
import { diffEdit, grammarTextArb, lspLineLengths, mutatedTextArb, rangeProblem, seedCorpus } from '../engine/fuzzHarness';
import { fileUri, LspTestClient } from '../helpers/lspClient';
import { skippedWithoutUnlicensed } from '../helpers/realworld';

/**
 * The language server over stdio on fuzzed documents: every request gets a response (hover,
 * completion, documentSymbol, codeAction, definition, references), every diagnostic lies inside
 * the document, incremental (ranged) edits of fuzzed text too, and the server logs no failure.
 */
const SEED = 5;
const REQUEST_TIMEOUT_MS = 15_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response to ${what} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

function assertInside(diagnostics: Diagnostic[], text: string, what: string): void {
  const lengths = lspLineLengths(text);
  for (const d of diagnostics) {
    const p = rangeProblem(d.range, lengths);
    assert.equal(p, undefined, `${what}: ${String(d.code)} ${p} in ${JSON.stringify(text.slice(0, 300))}`);
  }
}

/** Positions spread over the text, and two outside it. */
function positions(text: string): Array<{ line: number; character: number }> {
  const lengths = lspLineLengths(text);
  const out = [0.1, 0.4, 0.7, 0.95].map((f) => {
    const line = Math.floor(f * lengths.length);
    return { line, character: Math.floor(lengths[line] * f) };
  });
  return [...out, { line: lengths.length + 5, character: 0 }, { line: 0, character: 10_000 }];
}

async function exercise(client: LspTestClient, uri: string, text: string, diagnostics: Diagnostic[]): Promise<void> {
  const textDocument = { uri };
  const whole = { start: { line: 0, character: 0 }, end: { line: lspLineLengths(text).length, character: 0 } };
  const calls: Array<[string, string, unknown]> = [
    ['documentSymbolProvider', 'textDocument/documentSymbol', { textDocument }],
    ['codeLensProvider', 'textDocument/codeLens', { textDocument }],
    ['inlayHintProvider', 'textDocument/inlayHint', { textDocument, range: whole }],
  ];
  for (const position of positions(text)) {
    calls.push(
      ['hoverProvider', 'textDocument/hover', { textDocument, position }],
      ['completionProvider', 'textDocument/completion', { textDocument, position }],
      ['definitionProvider', 'textDocument/definition', { textDocument, position }],
      ['referencesProvider', 'textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
      ['codeActionProvider', 'textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics } }],
    );
  }
  // Only what the server advertises (it has no completion provider of its own, for instance).
  const offered = calls.filter(([capability]) => client.capabilities[capability]);
  assert.ok(offered.length >= 6, 'hover, definition, references, codeAction, documentSymbol... are advertised');
  await Promise.all(offered.map(([, method, params]) => withTimeout(client.request(method, params), method)));
}

describe('LSP fuzzing (bounded)', { timeout: 180_000 }, () => {
  let client: LspTestClient;
  const seeds = seedCorpus();
  skippedWithoutUnlicensed('the seed corpus includes the unlicensed tutorial manifests', 'fuzz seeds');
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('mutated and grammar-generated documents: diagnostics in range, every request answered', async () => {
    const cases = [
      ...fc.sample(fc.nat(seeds.length - 1).chain((i) => mutatedTextArb([seeds[i]])), { numRuns: 40, seed: SEED }),
      ...fc.sample(grammarTextArb(), { numRuns: 20, seed: SEED }),
    ];
    for (const [i, text] of cases.entries()) {
      const uri = fileUri(`fuzz-${i}.yaml`);
      const v = client.open(uri, text);
      const diagnostics = await client.diagnosticsFor(uri, v, REQUEST_TIMEOUT_MS);
      assertInside(diagnostics, text, `case ${i}`);
      await exercise(client, uri, text, diagnostics);
      client.close(uri);
    }
    assert.doesNotMatch(client.stderr.join(''), /failed|Error|exception/i);
  });

  it('ranged edits that mutate a document step by step keep diagnostics in range', async () => {
    const uri = fileUri('fuzz-edits.yaml');
    const start = seeds.find((s) => s.includes('AuthorizationPolicy')) ?? seeds[0];
    let text = start;
    let version = client.open(uri, text);
    await client.diagnosticsFor(uri, version, REQUEST_TIMEOUT_MS);
    const steps = fc.sample(mutatedTextArb([start]), { numRuns: 60, seed: SEED });
    for (const next of steps) {
      const { start: s, end: e, newText } = diffEdit(text, next);
      const lengths = lspLineLengths(text);
      const pos = (o: number): { line: number; character: number } => {
        const before = text.slice(0, o).split('\n');
        return { line: before.length - 1, character: Math.min(before[before.length - 1].length, lengths[before.length - 1] ?? 0) };
      };
      // Edits that split a CR LF pair are expressed as full replacements (LSP positions cannot point between them).
      const splitsCrlf = [s, e].some((o) => text[o - 1] === '\r' && text[o] === '\n');
      version = client.change(uri, splitsCrlf ? [{ text: next }] : [{ range: { start: pos(s), end: pos(e) }, text: newText }]);
      text = next;
      const diagnostics = await client.diagnosticsFor(uri, version, REQUEST_TIMEOUT_MS);
      assertInside(diagnostics, text, `edit to version ${version}`);
    }
    await exercise(client, uri, text, client.lastDiagnostics(uri)?.diagnostics ?? []);
    assert.doesNotMatch(client.stderr.join(''), /failed|Error|exception/i);
  });
});
