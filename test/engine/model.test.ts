import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileModel } from '../../engine/src/model/fileModel';
import { splitDocuments } from '../../engine/src/model/split';

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
