import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/src/diagnostics';
import { FileModel, MAX_FILE_BYTES } from '../../engine/src/model/fileModel';
import { checkFindings, HOSTILE_HEAD, HOSTILE_YAML } from './fuzzHarness';

/**
 * Hostile YAML: each input gets a clear diagnostic (or correct behaviour) and never an exception
 * or an out-of-range position. Time is bounded only by the suite's hang guard (no timing assertions).
 */
const HEAD = HOSTILE_HEAD;

function analyse(text: string): Finding[] {
  const model = new FileModel();
  model.update(text);
  const findings = model.findings();
  checkFindings(findings, text, 'hostile');
  return findings;
}

function at(f: Finding): string {
  return `${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
}

describe('hostile YAML', { timeout: 120_000 }, () => {
  it('an alias bomb ("billion laughs") is refused with yaml-alias-limit; the next document is still validated', () => {
    const text = HOSTILE_YAML['alias bomb (10 levels x 10)']() + '---\n' + HEAD + 'spec:\n  action: DENYY\n';
    const findings = analyse(text);
    const bomb = findings.filter((f) => f.code === 'yaml-alias-limit');
    assert.equal(bomb.length, 1);
    assert.equal(bomb[0].severity, 'error');
    assert.equal(at(bomb[0]), '0:0-0:1');
    assert.match(bomb[0].message, /aliases expand too much/);
    const next = findings.find((f) => f.code === 'schema-enum');
    assert.ok(next, 'the document after the bomb is validated');
    assert.equal(next.range.start.line, text.split('\n').findIndex((l) => l.includes('DENYY')));
  });

  it('10,000 levels of flow nesting give one yaml-syntax error saying the document nests too deeply', () => {
    for (const [open, close] of [['[', ']'], ['{a: ', '}']]) {
      const findings = analyse(HEAD + 'spec: ' + open.repeat(10_000) + '1' + close.repeat(10_000) + '\n');
      assert.equal(findings.length, 1, JSON.stringify(findings));
      assert.equal(findings[0].code, 'yaml-syntax');
      assert.equal(findings[0].severity, 'error');
      assert.match(findings[0].message, /nests too deeply/);
    }
  });

  it('nesting the parser handles (500 levels) is validated normally', () => {
    const findings = analyse(HEAD + 'spec: ' + '['.repeat(500) + ']'.repeat(500) + '\n');
    assert.deepEqual(findings.map((f) => [f.code, at(f)]), [['schema-type', '4:0-4:4']]);
  });

  it('10,000 levels of block nesting exceed the file size limit: one file-too-large warning', () => {
    const text = HOSTILE_YAML['block nesting 10,000 levels (50 MB)']();
    assert.ok(text.length > MAX_FILE_BYTES);
    const findings = analyse(text);
    assert.deepEqual(findings.map((f) => [f.code, f.severity, at(f)]), [['file-too-large', 'warning', '0:0-0:0']]);
  });

  it('a 5 MB scalar is validated (enum error on it) with a short message', () => {
    const big = 'A'.repeat(5 * 1024 * 1024);
    const findings = analyse(HEAD + `spec:\n  action: "${big}"\n`);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'schema-enum');
    assert.equal(at(findings[0]), `5:10-5:${10 + big.length + 2}`);
    assert.ok(findings[0].message.length < 500, `message of ${findings[0].message.length} characters`);
  });

  it('a 1 MB line (a flow sequence of 30,000 operations) is validated without error', () => {
    const text = HOSTILE_YAML['1 MB line']();
    assert.ok(text.length > 1_000_000);
    assert.deepEqual(analyse(text), []);
  });

  it('binary garbage raises nothing (not an Istio file) and never throws', () => {
    let x = 7;
    const bytes = Buffer.from(Array.from({ length: 200_000 }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff));
    assert.deepEqual(analyse(bytes.toString('latin1')), []);
    assert.deepEqual(analyse(bytes.toString('utf8')), []);
  });

  it('binary garbage after an Istio header is reported, in range', () => {
    const findings = analyse(HEAD + 'spec:\n  ' + '\u0000\u0001\u00ff\ufffd\u0007'.repeat(1000) + '\n');
    assert.ok(findings.some((f) => f.severity === 'error'));
  });

  it('a BOM changes no finding below the first line; the resource is still recognised', () => {
    const text = HEAD + 'spec:\n  action: DENYY\n';
    const plain = analyse(text);
    const bom = analyse('\uFEFF' + text);
    assert.equal(plain.length, 1);
    assert.deepEqual(bom, plain);
  });

  it('CRLF line endings give exactly the positions of LF (several documents, syntax and rule errors)', () => {
    const text = [HEAD + 'spec:\n  action: DENYY\n', HEAD + 'spec:\n  rules:\n  - from:\n    - source: {principals: ["a"\n', HEAD + 'spec:\n  action: ALLOW\n  action: DENY\n'].join('---\n');
    const lf = analyse(text);
    const crlf = analyse(text.replace(/\n/g, '\r\n'));
    assert.ok(lf.length >= 3);
    assert.deepEqual(crlf.map((f) => [f.code, at(f)]), lf.map((f) => [f.code, at(f)]));
  });

  it('a tab used as indentation is reported on the tab', () => {
    const findings = analyse(HEAD + 'spec:\n\taction: DENY\n');
    const tab = findings.find((f) => f.code === 'yaml-tab-indent');
    assert.ok(tab, JSON.stringify(findings));
    assert.equal(at(tab), '5:0-5:1');
  });

  it('3,000 documents: one finding per document, each on its own line', () => {
    const doc = (i: number): string => HEAD.replace('name: p', `name: p${i}`) + 'spec: {action: DENYY}\n';
    const text = Array.from({ length: 3000 }, (_, i) => doc(i)).join('---\n');
    const findings = analyse(text);
    assert.equal(findings.length, 3000);
    assert.deepEqual(findings.slice(0, 3).map(at), ['4:15-4:20', '10:15-10:20', '16:15-16:20']);
    assert.equal(findings[2999].range.start.line, 2999 * 6 + 4);
  });

  it('replacement characters from invalid UTF-8 are ordinary characters (positions unchanged)', () => {
    const text = Buffer.from([...Buffer.from(HEAD + 'spec:\n  action: "'), 0xff, 0xfe, 0xc3, 0x28, ...Buffer.from('"\n')]).toString('utf8');
    const findings = analyse(text);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'schema-enum');
    assert.equal(at(findings[0]), '5:10-5:16');
  });
});
