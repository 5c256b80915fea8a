import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allCodes } from '../../engine/src/codes';
import { AnalysisHost } from '../../engine/src/host/index';
import { render } from '../../scripts/gen-diagnostics-doc';
import { ROOT } from '../helpers/build';
import { realworldPath, realworldYamlFiles } from '../helpers/realworld';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

describe('diagnostic codes are documented', () => {
  it('docs/diagnostics.md is generated from the registries and up to date (npm run gen:docs)', () => {
    assert.equal(readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8'), render());
  });

  it('every registered code has its own heading on its page (the anchor editors link to)', () => {
    const missing = allCodes().filter((c) => {
      const page = readFileSync(join(ROOT, 'docs', c.page), 'utf8');
      return !new RegExp(`^#{2,3} ${c.code}\\s*$`, 'm').test(page);
    });
    assert.deepEqual(missing.map((c) => `${c.page}: ${c.code}`), []);
  });

  it('every code the engine reports on the examples and real-world files is registered', () => {
    const registered = new Set(allCodes().map((c) => c.code));
    const files = [...yamlFiles(join(ROOT, 'examples')), ...realworldYamlFiles().map(realworldPath)];
    const ws = new AnalysisHost();
    for (const f of files) ws.setFile(f, readFileSync(f, 'utf8'));
    const unregistered = new Set<string>();
    for (const f of files) for (const finding of ws.diagnostics(f)) if (!registered.has(finding.code)) unregistered.add(finding.code);
    assert.deepEqual([...unregistered], []);
  });
});
