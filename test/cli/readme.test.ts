/**
 * The README's examples run as written: the commands are read from README.md (after a
 * `<!-- readme-test: NAME` marker), so the test fails when the README drifts from what works.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureBuilt, ROOT } from '../helpers/build';
import { tempDir } from '../helpers/tmp';

interface Block {
  lang: string;
  lines: string[];
}

/** The first two fenced code blocks after the marker (their indentation removed). */
function blocksAfter(markdown: string, marker: string): Block[] {
  const at = markdown.indexOf(`<!-- readme-test: ${marker}`);
  assert.ok(at >= 0, `README.md has no "<!-- readme-test: ${marker}" marker`);
  const blocks: Block[] = [];
  const fence = /^( *)```(\w*)\n([\s\S]*?)^\1```$/gm;
  fence.lastIndex = at;
  for (let m = fence.exec(markdown); m && blocks.length < 2; m = fence.exec(markdown)) {
    const indent = m[1].length;
    blocks.push({ lang: m[2], lines: m[3].replace(/\n$/, '').split('\n').map((l) => l.slice(indent)) });
  }
  return blocks;
}

/** Shell commands of a block: lines joined at trailing backslashes. */
function commandsOf(lines: readonly string[]): string[] {
  return lines
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

/** A temporary folder that looks like the checkout (a link to each top-level entry), for commands that write files. */
function checkoutView(): string {
  const dir = tempDir('istio-sec-readme-');
  for (const name of readdirSync(ROOT)) if (name !== '.git' && name !== 'token.jwt') symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

describe('README examples', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('the simulate example runs as written and prints what the README shows', () => {
    ensureBuilt();
    const [commands, output] = blocksAfter(readme, 'simulate');
    assert.equal(commands?.lang, 'sh');
    assert.equal(output?.lang, 'text');
    const dir = checkoutView();
    let stdout = '';
    for (const cmd of commandsOf(commands.lines)) {
      const r = spawnSync('sh', ['-c', cmd], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `${cmd}\n${r.stderr}`);
      stdout = r.stdout;
    }
    assert.ok(existsSync(join(dir, 'token.jwt')), 'the example writes token.jwt where it runs');
    const shown = output.lines.filter((l) => l.trim() !== '...');
    assert.deepEqual(stdout.split('\n').slice(0, shown.length), shown);
  });

  it('reads the blocks after a marker, and joins continued shell lines', () => {
    const md = '- x\n  <!-- readme-test: t -->\n  ```sh\n  a \\\n    b\n  c\n  ```\n\n  ```text\n  out\n  ```\n';
    const [sh, text] = blocksAfter(md, 't');
    assert.deepEqual(commandsOf(sh.lines), ['a b', 'c']);
    assert.deepEqual(text, { lang: 'text', lines: ['out'] });
  });
});
