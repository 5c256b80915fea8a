import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/build';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('layering', () => {
  it('the engine imports neither VS Code nor LSP nor the adapters', () => {
    const offenders = sources(join(ROOT, 'engine', 'src')).flatMap((f) =>
      importsOf(f)
        .filter((m) => /^(vscode|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)(\/|$)/.test(m) || /\/(server|client|cli)\/src\//.test(m))
        .map((m) => `${relative(ROOT, f)} imports ${m}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('server/ and cli/ use the engine only through the analysis host\'s public module', () => {
    const offenders = ['server', 'cli'].flatMap((face) =>
      sources(join(ROOT, face, 'src')).flatMap((f) =>
        importsOf(f)
          .filter((m) => /(^|\/)engine\//.test(m) && !/\/engine\/src\/host\/index$/.test(m))
          .map((m) => `${relative(ROOT, f)} imports ${m}`),
      ),
    );
    assert.deepEqual(offenders, []);
  });

  it('the shared protocol module imports vscode-jsonrpc and only types of the host, and the client reaches the server only through it', () => {
    const protocol = sources(join(ROOT, 'protocol', 'src')).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const typeOnly = new Set([...text.matchAll(/import type \{[^}]*\} from ['"]([^'"]+)['"]/g)].map((m) => m[1]));
      return importsOf(f)
        .filter((m) => m !== 'vscode-jsonrpc' && !(typeOnly.has(m) && /\/engine\/src\/host\/types$/.test(m)))
        .map((m) => `${relative(ROOT, f)} imports ${m}`);
    });
    const client = sources(join(ROOT, 'client', 'src')).flatMap((f) => importsOf(f).filter((m) => /\/server\/src\//.test(m)).map((m) => `${relative(ROOT, f)} imports ${m}`));
    assert.deepEqual([...protocol, ...client], []);
  });

  it('util/ (helpers every layer may import) imports only Node built-ins', () => {
    const offenders = sources(join(ROOT, 'util', 'src')).flatMap((f) => importsOf(f).filter((m) => !m.startsWith('node:')).map((m) => `${relative(ROOT, f)} imports ${m}`));
    assert.deepEqual(offenders, []);
  });

  it('the server does not import the VS Code API, and the client does not import the engine', () => {
    const server = sources(join(ROOT, 'server', 'src')).flatMap((f) =>
      importsOf(f).filter((m) => m === 'vscode' || m.startsWith('vscode-languageclient')).map((m) => `${relative(ROOT, f)} imports ${m}`),
    );
    const client = sources(join(ROOT, 'client', 'src')).flatMap((f) =>
      importsOf(f).filter((m) => /engine\/src/.test(m)).map((m) => `${relative(ROOT, f)} imports ${m}`),
    );
    assert.deepEqual([...server, ...client], []);
  });
});
