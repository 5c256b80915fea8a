/**
 * Envoy's request-line handling with Istio's path normalisation settings. Expected paths are the
 * behaviour Istio's integration test (tests/integration/security/normalization_test.go) asserts
 * for each meshConfig.pathNormalization mode.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeRequestLine, type PathNormalization } from '../../engine/src/simulate/normalize';

const pathOf = (path: string, mode: PathNormalization): string => {
  const r = normalizeRequestLine('GET', path, mode);
  return r.ok ? (r.path ?? '') : '400';
};

const TABLE: Array<[string, Record<PathNormalization, string>]> = [
  ['/', { NONE: '/', BASE: '/', MERGE_SLASHES: '/', DECODE_AND_MERGE_SLASHES: '/' }],
  ['/app#foo', { NONE: '/app', BASE: '/app', MERGE_SLASHES: '/app', DECODE_AND_MERGE_SLASHES: '/app' }],
  ['/app/../admin', { NONE: '/app/../admin', BASE: '/admin', MERGE_SLASHES: '/admin', DECODE_AND_MERGE_SLASHES: '/admin' }],
  ['/app//', { NONE: '/app//', BASE: '/app//', MERGE_SLASHES: '/app/', DECODE_AND_MERGE_SLASHES: '/app/' }],
  ['/app/%2f', { NONE: '/app/%2f', BASE: '/app/%2f', MERGE_SLASHES: '/app/%2f', DECODE_AND_MERGE_SLASHES: '/app/' }],
  ['/app%2f/', { NONE: '/app%2f/', BASE: '/app%2f/', MERGE_SLASHES: '/app%2f/', DECODE_AND_MERGE_SLASHES: '/app/' }],
  ['/xyz%30..//abc', { NONE: '/xyz%30..//abc', BASE: '/xyz0..//abc', MERGE_SLASHES: '/xyz0../abc', DECODE_AND_MERGE_SLASHES: '/xyz0../abc' }],
  ['/app/%2E./admin', { NONE: '/app/%2E./admin', BASE: '/admin', MERGE_SLASHES: '/admin', DECODE_AND_MERGE_SLASHES: '/admin' }],
  ['/app\\admin', { NONE: '/app\\admin', BASE: '/app/admin', MERGE_SLASHES: '/app/admin', DECODE_AND_MERGE_SLASHES: '/app/admin' }],
  ['/app/\\/\\/\\admin', { NONE: '/app/\\/\\/\\admin', BASE: '/app//////admin', MERGE_SLASHES: '/app/admin', DECODE_AND_MERGE_SLASHES: '/app/admin' }],
  ['/%2Fapp%5cadmin%5Cabc', { NONE: '/%2Fapp%5cadmin%5Cabc', BASE: '/%2Fapp%5cadmin%5Cabc', MERGE_SLASHES: '/%2Fapp%5cadmin%5Cabc', DECODE_AND_MERGE_SLASHES: '/app/admin/abc' }],
  ['/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc', { NONE: '/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc', BASE: '/%5Capp%2f%5c%2F..%2fadmin%5c/abc', MERGE_SLASHES: '/%5Capp%2f%5c%2F..%2fadmin%5c/abc', DECODE_AND_MERGE_SLASHES: '/app/admin/abc' }],
  ['/app//../admin', { NONE: '/app//../admin', BASE: '/app/admin', MERGE_SLASHES: '/app/admin', DECODE_AND_MERGE_SLASHES: '/app/admin' }],
  ['/app//../../admin', { NONE: '/app//../../admin', BASE: '/admin', MERGE_SLASHES: '/admin', DECODE_AND_MERGE_SLASHES: '/admin' }],
  ['/admin%00', { NONE: '400', BASE: '400', MERGE_SLASHES: '400', DECODE_AND_MERGE_SLASHES: '400' }],
];

describe('path normalisation per meshConfig.pathNormalization', () => {
  for (const [input, want] of TABLE) {
    it(input, () => {
      for (const mode of Object.keys(want) as PathNormalization[]) assert.equal(pathOf(input, mode), want[mode], `${mode}: ${input}`);
    });
  }

  it('DECODE_AND_MERGE_SLASHES leaves what it must not decode', () => {
    for (const p of ['/%c0%2e%c0%2e/admin', '/%c0%2fadmin', '/0x2e0x2e/admin', '/%252e%252e/admin', '/.../admin', '/..;/admin', '/admin;a=b', '/Admin']) {
      const want = p === '/%c0%2e%c0%2e/admin' ? '/%c0.%c0./admin' : p === '/%c0%2fadmin' ? '/%c0/admin' : p;
      assert.equal(pathOf(p, 'DECODE_AND_MERGE_SLASHES'), want, p);
    }
  });

  it('every single %XX: unreserved characters (and / and \\ under DECODE_AND_MERGE_SLASHES) are decoded once, others kept as written', () => {
    for (let i = 1; i <= 0xff; i++) {
      const hex = i.toString(16).padStart(2, '0');
      const c = String.fromCharCode(i);
      const decoded = /[A-Za-z0-9\-._~]/.test(c) ? `/admin${c}` : c === '/' || c === '\\' ? '/admin/' : `/admin%${hex}`;
      assert.equal(pathOf(`/admin%${hex}`, 'DECODE_AND_MERGE_SLASHES'), decoded, hex);
    }
  });

  it('keeps the query string, normalising only the path', () => {
    assert.equal(pathOf('/a/../b?x=/../y', 'BASE'), '/b?x=/../y');
  });

  it('Envoy answers 400 for methods its HTTP/1.1 codec does not know, lower case included', () => {
    for (const m of ['post', 'Get', 'FOO', '']) assert.equal(normalizeRequestLine(m, '/', 'BASE').ok, false, m);
    for (const m of ['GET', 'POST', 'PATCH', 'OPTIONS']) assert.equal(normalizeRequestLine(m, '/', 'BASE').ok, true, m);
    const r = normalizeRequestLine('post', '/', 'BASE');
    assert.ok(!r.ok && /HPE_INVALID_METHOD.*case-sensitive: POST/.test(r.reason));
  });

  it('Envoy answers 400 for request targets HTTP/1.1 forbids', () => {
    for (const p of ['/a b', '/caf\u00e9', '/a\u0001', 'admin']) assert.equal(normalizeRequestLine('GET', p, 'NONE').ok, false, p);
  });
});
