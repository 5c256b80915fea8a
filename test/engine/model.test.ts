import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedPerCode, type Finding } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';
import { splitDocuments } from '../../engine/src/model/split';
import { Workspace } from '../../engine/src/workspace/workspace';

describe('splitDocuments', () => {
  it('splits on --- at column 0 and keeps line offsets', () => {
    const text = 'a: 1\n---\nb: 2\n--- # c\nc: 3\n';
    const segs = splitDocuments(text);
    assert.deepEqual(
      segs.map((s) => [s.startLine, s.text]),
      [
        [0, 'a: 1\n'],
        [1, '---\nb: 2\n'],
        [3, '--- # c\nc: 3\n'],
      ],
    );
  });

  it('does not split on indented --- or ---- ', () => {
    const text = 'a: |\n  ---\n----x: 1\n';
    assert.equal(splitDocuments(text).length, 1);
  });
});

describe('FileModel', () => {
  it('re-analyses only the document an edit touches in a 1000-document file', () => {
    const docs = Array.from(
      { length: 1000 },
      (_, i) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p${i}\nspec: {}\n`,
    );
    const model = new FileModel();
    const first = model.update(docs.join('---\n'));
    assert.equal(first.documents, 1000);
    assert.equal(first.analyzed, 1000);
    docs[500] = docs[500].replace('p500', 'p500x');
    const second = model.update(docs.join('---\n'));
    assert.equal(second.documents, 1000);
    assert.equal(second.analyzed, 1);
  });

  it('keeps diagnostics of healthy documents when one document is broken', () => {
    const model = new FileModel();
    model.update("apiVersion: security.istio.io/v1\na: [1, 2\n---\nb: {x: 1, x: 2}\n");
    const codes = model.findings().map((f) => `${f.range.start.line}:${f.code}`);
    assert.ok(codes.some((c) => /^[12]:yaml-syntax/.test(c)), codes.join());
    assert.ok(codes.includes('3:yaml-duplicate-key'), codes.join());
  });

  it('leaves YAML files without Istio documents alone', () => {
    const model = new FileModel();
    model.update('apiVersion: v1\nkind: ConfigMap\ndata: {a: 1, a: 2}\n');
    assert.deepEqual(model.findings(), []);
    assert.equal(model.isIstioFile, false);
  });
});

describe('FileModel.applyEdit', () => {
  const DOC = (i: number) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p${i}\nspec:\n  action: DENY\n`;
  const snapshot = (m: FileModel) => ({
    docs: m.documents.map((d) => [d.segment.index, d.segment.startOffset, d.segment.startLine, d.segment.text]),
    findings: m.findings(),
  });

  it('gives exactly what a full update gives, for random edits including --- lines', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['x', '\n', '---\n', '-', 'name: y\n', '', '  ', 'apiVersion: v1\n', '\n---\nkind: Gateway\n'];
    let text = Array.from({ length: 20 }, (_, i) => DOC(i)).join('---\n');
    const inc = new FileModel();
    inc.update(text);
    for (let step = 0; step < 300; step++) {
      const start = Math.floor(rnd() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(rnd() * 12));
      const insert = pieces[Math.floor(rnd() * pieces.length)];
      const next = text.slice(0, start) + insert + text.slice(end);
      inc.applyEdit(start, end, insert, next);
      const full = new FileModel();
      full.update(next);
      assert.deepEqual(snapshot(inc), snapshot(full), `step ${step}: edit [${start},${end}) -> ${JSON.stringify(insert)}`);
      text = next;
    }
  });

  it('keeps the workspace index equal to a fresh one through random edits (resources spliced, not rebuilt)', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['x', '\n', '---\n', 'kind: Gateway\n', '', 'name: q\n', '\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: g\n'];
    let text = Array.from({ length: 15 }, (_, i) => (i % 3 === 0 ? 'apiVersion: v1\nkind: Service\n' : DOC(i))).join('---\n');
    const listing = (w: Workspace) => w.index.resources().map((r) => `${r.file}#${r.docIndex}@${r.startLine} ${r.resource.kind} ${r.namespace}/${r.resource.name}`);
    const inc = new Workspace();
    inc.update('f.yaml', text);
    inc.update('other.yaml', DOC(99));
    let spliced = 0;
    for (let step = 0; step < 300; step++) {
      const start = Math.floor(rnd() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(rnd() * 12));
      const insert = pieces[Math.floor(rnd() * pieces.length)];
      const next = text.slice(0, start) + insert + text.slice(end);
      const version = inc.index.version;
      inc.applyEdit('f.yaml', start, end, insert, next);
      if (inc.model('f.yaml')?.lastUpdate.incremental) spliced++;
      const full = new Workspace();
      full.update('f.yaml', next);
      full.update('other.yaml', DOC(99));
      const [a, b] = [listing(inc), listing(full)];
      assert.deepEqual(a.sort(), b.sort(), `step ${step}: edit [${start},${end}) -> ${JSON.stringify(insert)}`);
      assert.ok(inc.index.version >= version);
      text = next;
    }
    assert.ok(spliced > 250, `most edits take the incremental path (${spliced}/300)`);
  });

  it('re-analyses only the touched document and keeps the others in place', () => {
    const docs = Array.from({ length: 1000 }, (_, i) => DOC(i));
    const text = docs.join('---\n');
    const m = new FileModel();
    m.update(text);
    const before = m.documents.slice();
    const at = text.indexOf('name: p500') + 'name: p500'.length;
    const stats = m.applyEdit(at, at, 'x', text.slice(0, at) + 'x' + text.slice(at));
    assert.equal(stats.analyzed, 1);
    assert.equal(m.documents.filter((d, i) => d !== before[i]).length, 3, 'the touched document and its two neighbours are re-split');
  });
});

describe('boundedPerCode', () => {
  const at = (line: number, code: string, severity: Finding['severity'] = 'warning'): Finding => ({ code, severity, message: `m${line}`, range: { start: { line, character: 0 }, end: { line, character: 1 } } });

  it('keeps every finding up to the limit, then the first left out stands for the rest with their highest severity', () => {
    const findings = [...Array.from({ length: 5 }, (_, i) => at(10 - i, 'a', i === 0 ? 'error' : 'warning')), at(0, 'b'), at(1, 'b')];
    const kept = boundedPerCode(findings, 2);
    assert.deepEqual(
      kept.map((f) => [f.code, f.range.start.line, f.severity]),
      [['b', 0, 'warning'], ['b', 1, 'warning'], ['a', 6, 'warning'], ['a', 7, 'warning'], ['a', 8, 'error']],
    );
    assert.match(kept[4].message, /^m8 \(and 2 more a findings after this one in this document, not listed: the first 2 of each code are\)$/);
    assert.equal(boundedPerCode(findings, 5), findings, 'under the limit the list is returned as is');
  });

  it('a document with 1,000 copies of one mistake lists 100 of them and a count', () => {
    const m = new FileModel();
    const ports = Array.from({ length: 1000 }, (_, i) => `  - number: 0443\n    name: p${i}\n    protocol: TCP\n`).join('');
    m.update(`apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\nspec:\n  hosts: [a.example.com]\n  resolution: DNS\n  ports:\n${ports}`);
    const octal = m.findings().filter((f) => f.code === 'yaml-1-1-scalar');
    assert.equal(octal.length, 101);
    assert.match(octal[100].message, /and 899 more yaml-1-1-scalar findings/);
  });
});
