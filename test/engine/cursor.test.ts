import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cursorContext } from '../../engine/src/authoring/cursor';

/** `|` marks the cursor. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const before = text.slice(0, offset).split('\n');
  return cursorContext(text, before.length - 1, before[before.length - 1].length);
}

describe('cursorContext', () => {
  it('finds the mapping of a key being typed, with its siblings', () => {
    const c = at('apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nspec:\n  jwtRules:\n  - issuer: x\n    jwk|\n    audiences: [a]\n');
    assert.deepEqual(c.path, ['spec', 'jwtRules', 0]);
    assert.equal(c.mode, 'key');
    assert.equal(c.prefix, 'jwk');
    assert.equal(c.prefixStart, 4);
    assert.deepEqual(c.siblings, ['issuer', 'audiences']);
  });

  it('counts sequence items', () => {
    const c = at('spec:\n  rules:\n  - from:\n    - source: {}\n  - to:\n    - operation:\n        me|\n');
    assert.deepEqual(c.path, ['spec', 'rules', 1, 'to', 0, 'operation']);
  });

  it('gives the key of a value being typed', () => {
    const c = at('spec:\n  action: AL|\n');
    assert.deepEqual(c.path, ['spec']);
    assert.equal(c.mode, 'value');
    assert.equal(c.key, 'action');
    assert.equal(c.prefix, 'AL');
    assert.equal(c.prefixStart, 10);
  });

  it('handles a new item key after a dash, and a top-level empty line', () => {
    const c = at('spec:\n  servers:\n  - port:\n      number: 80\n  - |\n');
    assert.deepEqual(c.path, ['spec', 'servers', 1]);
    assert.equal(c.mode, 'key');
    const top = at('apiVersion: v1\n|\n');
    assert.deepEqual(top.path, []);
    assert.deepEqual(top.siblings, ['apiVersion']);
  });

  it('treats a value in a sequence of scalars as a sequence value', () => {
    const c = at('spec:\n  gateways:\n  - "*/x|"\n');
    assert.equal(c.mode, 'sequence-value');
    assert.deepEqual(c.path, ['spec', 'gateways']);
  });

  it('follows a when condition key', () => {
    const c = at('spec:\n  rules:\n  - when:\n    - key: request.auth.cl|\n');
    assert.deepEqual(c.path, ['spec', 'rules', 0, 'when', 0]);
    assert.equal(c.key, 'key');
    assert.equal(c.prefix, 'request.auth.cl');
  });
});
