import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KIND_FILES } from '../../engine/src/schema/catalog';
import { compileRule, evaluateRule, isTransitionRule, type CelOutcome } from '../../engine/src/cel/index';
import fc from 'fast-check';
import { formatGoDuration, parseGoDuration } from '../../engine/src/cel/goDuration';
import { parseRequestUri, parseUrl } from '../../engine/src/cel/goUrl';
import { formatAddr, parseAddr } from '../../engine/src/cel/netip';

interface CrdRule {
  rule: string;
  message: string;
  /** The schema node the rule sits on (its `type`, items, properties, …). */
  schema: Record<string, unknown>;
}

function collectRules(node: unknown, out: CrdRule[]): CrdRule[] {
  if (Array.isArray(node)) {
    for (const n of node) collectRules(n, out);
  } else if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const validations = obj['x-kubernetes-validations'];
    if (Array.isArray(validations)) {
      for (const v of validations as { rule: string; message: string }[]) {
        out.push({ rule: v.rule, message: v.message, schema: obj });
      }
    }
    for (const value of Object.values(obj)) collectRules(value, out);
  }
  return out;
}

/** The rules of Istio's kinds in the committed schemas/ (generated from Istio 1.30.3's CRDs; a schema test keeps them current). */
const crdRules: CrdRule[] = collectRules(
  KIND_FILES.filter((f) => f.group.endsWith('.istio.io')).map((f) => f.schemas),
  [],
);

/** Objects that rules on an object node require to be non-empty. */
const OBJECT_SAMPLES: Record<string, unknown> = {
  'has(self.address) || has(self.network)': { address: '10.0.0.1' },
  'has(self.wasm) != has(self.lua)': { lua: { inlineCode: 'function envoy_on_request(h) end' } },
};

/** A small value of the rule's schema type that the rule should accept. */
function sampleFor(schema: Record<string, unknown>, rule: string): unknown {
  switch (schema.type) {
    case 'integer':
      return 8080;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'string':
      if (rule.includes('duration(')) return '1s';
      if (rule.includes('url(') || rule.includes('isURL(')) return 'https://example.com/x';
      return '';
    default:
      return OBJECT_SAMPLES[rule] ?? {};
  }
}

function value(outcome: CelOutcome): unknown {
  assert.ok(outcome.ok, `expected a value, got error: ${outcome.ok ? '' : outcome.error}`);
  return outcome.value;
}

function failure(outcome: CelOutcome): string {
  assert.equal(outcome.ok, false, `expected an evaluation error, got ${JSON.stringify(outcome.ok && String(outcome.value))}`);
  return outcome.ok ? '' : outcome.error;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

/** Asserts `rule` evaluates on `self` to a value deep-equal to `expected`. */
function eq(rule: string, self: unknown, expected: unknown): void {
  assert.deepEqual(value(evaluateRule(rule, self)), expected, `${rule} with self=${show(self)}`);
}

/** Asserts `rule` gives `expected` for each [self, expected] row; 'error' means evaluation must fail. */
function truthTable(rule: string, rows: [unknown, boolean | 'error'][]): void {
  for (const [self, expected] of rows) {
    const outcome = evaluateRule(rule, self);
    if (expected === 'error') failure(outcome);
    else assert.equal(value(outcome), expected, `${rule} with self=${show(self)}`);
  }
}

describe('CRD x-kubernetes-validations rules', () => {
  it('finds the rules of the Istio 1.30.3 CRDs in schemas/, including multi-line block scalars', () => {
    assert.ok(crdRules.length >= 120, `only ${crdRules.length} rules found`);
    assert.ok(crdRules.some((r) => r.rule.includes('\n')));
    assert.ok(new Set(crdRules.map((r) => r.rule)).size >= 30);
  });

  it('compiles every rule', () => {
    const failures = crdRules
      .map((r) => ({ rule: r.rule, outcome: compileRule(r.rule) }))
      .filter((r) => !r.outcome.ok);
    assert.deepEqual(failures, []);
  });

  it('evaluates every rule to true on a valid value of its schema type', () => {
    const failures = crdRules
      .map((r) => ({ rule: r.rule, outcome: evaluateRule(r.rule, sampleFor(r.schema, r.rule)) }))
      .filter((r) => !(r.outcome.ok && r.outcome.value === true));
    assert.deepEqual(failures, []);
  });

  it('has no transition rules (none mention oldSelf)', () => {
    assert.deepEqual(
      crdRules.filter((r) => isTransitionRule(r.rule)).map((r) => r.rule),
      [],
    );
  });
});

describe('compileRule', () => {
  it('rejects syntax errors, unknown functions and unknown variables', () => {
    assert.match(failure(compileRule('self.size() ==') as CelOutcome), /syntax error/);
    assert.match(failure(compileRule('frobnicate(self)') as CelOutcome), /function 'frobnicate'/);
    assert.match(failure(compileRule('self.frobnicate()') as CelOutcome), /function 'frobnicate'/);
    assert.match(failure(compileRule('other == self') as CelOutcome), /'other'/);
    assert.match(failure(compileRule('toString == self') as CelOutcome), /'toString'/);
  });

  it('accepts macro variables only inside their macro', () => {
    assert.deepEqual(compileRule('self.all(k, k.size() > 0)'), { ok: true });
    assert.match(failure(compileRule('self.all(k, true) && k == "a"') as CelOutcome), /'k'/);
  });

  it('reports compile errors from evaluateRule too', () => {
    assert.match(failure(evaluateRule('self +', 1)), /syntax error/);
  });
});

describe('duration()', () => {
  const rule = "duration(self) >= duration('1ms')";

  it('implements the Istio minimum-duration rule', () => {
    truthTable(rule, [
      ['1ms', true],
      ['0.5ms', false],
      ['1s', true],
      ['999us', false],
      ['1000000ns', true],
      ['abc', 'error'],
      ['1d', 'error'],
      ['', 'error'],
    ]);
  });

  it('parses Go time.ParseDuration syntax', () => {
    const nanos = (s: string) => {
      const r = parseGoDuration(s);
      return r.ok ? r.nanos : r.error;
    };
    assert.equal(nanos('1h2m3.5s'), 3_723_500_000_000n);
    assert.equal(nanos('300ms'), 300_000_000n);
    assert.equal(nanos('1us'), 1_000n);
    assert.equal(nanos('1\u00b5s'), 1_000n);
    assert.equal(nanos('1\u03bcs'), 1_000n);
    assert.equal(nanos('10ns'), 10n);
    assert.equal(nanos('0'), 0n);
    assert.equal(nanos('-0'), 0n);
    assert.equal(nanos('-1.5h'), -5_400_000_000_000n);
    assert.equal(nanos('+.5s'), 500_000_000n);
    assert.equal(nanos('1.s'), 1_000_000_000n);
    assert.equal(nanos('2h45m'), 9_900_000_000_000n);
    assert.equal(nanos('9223372036854775807ns'), 9_223_372_036_854_775_807n);
    assert.equal(nanos('-9223372036854775808ns'), -9_223_372_036_854_775_808n);
    assert.equal(nanos('ns'), 'time: invalid duration "ns"');
    assert.equal(nanos('1'), 'time: missing unit in duration "1"');
    assert.equal(nanos('1sx'), 'time: unknown unit "sx" in duration "1sx"');
    assert.equal(nanos('.s'), 'time: invalid duration ".s"');
    assert.equal(nanos('+'), 'time: invalid duration "+"');
    assert.equal(nanos(''), 'time: invalid duration ""');
    assert.equal(nanos('1 s'), 'time: unknown unit " s" in duration "1 s"');
    assert.equal(nanos('9223372036854775808ns'), 'time: invalid duration "9223372036854775808ns"');
    assert.equal(nanos('3000000h'), 'time: invalid duration "3000000h"');
  });

  it('compares durations by value, not by spelling', () => {
    truthTable("duration(self) == duration('60m')", [
      ['1h', true],
      ['3600s', true],
      ['3600000ms', true],
      ['59m59.999999999s', false],
    ]);
    truthTable("duration(self) < duration('1s')", [
      ['999.999999ms', true],
      ['-1h', true],
      ['1s', false],
    ]);
  });
});

describe('url() and isURL()', () => {
  const schemeRule = 'url(self).getScheme() in ["http", "https"]';

  it('implements the Istio jwksUri scheme rule', () => {
    truthTable(schemeRule, [
      ['https://a/b', true],
      ['http://example.com:8080/.well-known/jwks.json', true],
      ['HTTPS://EXAMPLE.COM/x', true],
      ['ftp://example.com/x', false],
      ['/relative/path', false],
      ['example.com/jwks', 'error'],
      ['https://{YOUR_DOMAIN}/x', 'error'],
      ['https://exa mple.com/', 'error'],
      ['https://example.com:port/', 'error'],
      ['', 'error'],
    ]);
  });

  it('names the parse failure like Go', () => {
    assert.match(failure(evaluateRule(schemeRule, 'example.com/jwks')), /invalid URI for request/);
    assert.match(failure(evaluateRule(schemeRule, 'https://{YOUR_DOMAIN}/x')), /invalid character "\{" in host name/);
  });

  it('isURL accepts absolute URIs and absolute paths only', () => {
    truthTable('isURL(self)', [
      ['https://example.com', true],
      ['https://user:pass@example.com:443/a?b=c#frag', true],
      ['/just/a/path', true],
      ['oci://registry.example.com/image:tag', true],
      ['mailto:someone@example.com', true],
      ['example.com', false],
      ['registry.example.com/image:tag', false],
      ['https://[::1', false],
      ['https://a/%zz', false],
      ['https://a/\u0001', false],
      ['', false],
    ]);
  });

  it('implements the Istio Wasm plugin url rule (scheme optional)', () => {
    const wasm = crdRules.find((r) => r.rule.startsWith('isURL(self)'));
    assert.ok(wasm);
    truthTable(wasm.rule, [
      ['oci://ghcr.io/istio/plugin:1.0', true],
      ['file:///opt/filter.wasm', true],
      ['https://example.com/filter.wasm', true],
      ['ghcr.io/istio/plugin:1.0', true],
      ['ftp://example.com/filter.wasm', false],
    ]);
  });

  it('exposes the URL parts with Go net/url semantics', () => {
    const part = (getter: string, url: string) => value(evaluateRule(`url(self).${getter}()`, url));
    const u = 'https://user@[fe80::1]:8443/a%2Fb/c%20d?x=1&x=2&y=a+b&z#frag';
    assert.equal(part('getScheme', u), 'https');
    assert.equal(part('getHost', u), '[fe80::1]:8443');
    assert.equal(part('getHostname', u), 'fe80::1');
    assert.equal(part('getPort', u), '8443');
    assert.equal(part('getEscapedPath', u), '/a%2Fb/c%20d');
    assert.deepEqual(
      part('getQuery', u),
      new Map([
        ['x', ['1', '2']],
        ['y', ['a b']],
        ['z', ['']],
      ]),
    );
    assert.equal(part('getHost', 'https://example.com'), 'example.com');
    assert.equal(part('getPort', 'https://example.com'), '');
    assert.equal(part('getEscapedPath', 'https://example.com/a b'), '/a%20b');
    assert.equal(part('getEscapedPath', 'https://example.com/caf\u00e9'), '/caf%C3%A9');
    assert.equal(part('getHost', '/abs/path'), '');
    assert.equal(part('getScheme', '/abs/path'), '');
    assert.equal(value(evaluateRule('url(self).getQuery()["b"][0]', 'https://a/?b=%41')), 'A');
  });
});

describe('port rules', () => {
  it('implements 0 < self && self <= 65535', () => {
    truthTable('0 < self && self <= 65535', [
      [1, true],
      [80, true],
      [65535, true],
      [0, false],
      [65536, false],
      [-1, false],
    ]);
  });

  it('implements the map-key port rule with Go int parsing', () => {
    truthTable('self.all(key, 0 < int(key) && int(key) <= 65535)', [
      [{}, true],
      [{ '80': {}, '443': {} }, true],
      [{ '80': {}, '0': {} }, false],
      [{ '65536': {} }, false],
      [{ '+80': {} }, true],
      [{ http: {} }, 'error'],
      [{ '0x50': {} }, 'error'],
      [{ ' 80': {} }, 'error'],
      [{ '99999999999999999999': {} }, 'error'],
    ]);
  });

  it('absorbs an error when another element already decides all()', () => {
    truthTable('self.all(key, 0 < int(key) && int(key) <= 65535)', [[{ '0': {}, http: {} }, false]]);
  });
});

describe('mutual exclusion rules', () => {
  const rule =
    '(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1';

  it('allows at most one of selector, targetRef, targetRefs', () => {
    truthTable(rule, [
      [{}, true],
      [{ selector: { matchLabels: { app: 'a' } } }, true],
      [{ targetRef: { kind: 'Gateway', name: 'g' } }, true],
      [{ targetRefs: [] }, true],
      [{ selector: {}, targetRef: {} }, false],
      [{ selector: {}, targetRefs: [{}] }, false],
      [{ selector: {}, targetRef: {}, targetRefs: [] }, false],
    ]);
  });

  it('counts a present field even when its value is null (null values are present)', () => {
    truthTable(rule, [[{ selector: null, targetRef: {} }, false]]);
    truthTable('has(self.a)', [[{ a: null }, true]]);
    truthTable('"a" in self', [[{ a: null }, true]]);
    truthTable('has(self.b)', [[{ a: null }, false]]);
  });

  it('implements the jwks rule from the CRDs', () => {
    const jwks = crdRules.find((r) => r.rule.includes('has(self.jwksUri)'));
    assert.ok(jwks);
    truthTable(jwks.rule, [
      [{ issuer: 'i' }, true],
      [{ jwksUri: 'https://a/k' }, true],
      [{ jwksUri: 'https://a/k', jwks: '{}' }, false],
      [{ jwks_uri: 'https://a/k', jwksUri: 'https://a/k' }, false],
    ]);
  });
});

describe('macros over lists and maps', () => {
  it('exists_one: every port number is unique', () => {
    truthTable('self.all(l1, self.exists_one(l2, l1.number == l2.number))', [
      [[], true],
      [[{ number: 80 }, { number: 443 }], true],
      [[{ number: 80, name: 'a' }, { number: 80, name: 'b' }], false],
      [[{ number: 80 }, { number: 443 }, { number: 80 }], false],
    ]);
  });

  it('exists and all iterate map keys', () => {
    truthTable('self.exists(k, k == "b")', [
      [{ a: 1, b: 2 }, true],
      [{ a: 1 }, false],
    ]);
    truthTable('self.all(key, !key.contains("*"))', [
      [{ 'a.example.com': 1 }, true],
      [{ '*.example.com': 1 }, false],
    ]);
    truthTable('self.exists_one(x, x > 1)', [
      [[1, 2], true],
      [[2, 3], false],
    ]);
  });

  it('implements the ServiceEntry address/resolution rule', () => {
    const se = crdRules.find((r) => r.rule.includes('self.addresses'));
    assert.ok(se);
    truthTable(se.rule, [
      [{ addresses: ['10.0.0.0/24'], resolution: 'STATIC' }, true],
      [{ addresses: ['10.0.0.0/24'] }, true],
      [{ addresses: ['10.0.0.0/24'], resolution: 'DNS' }, false],
      [{ addresses: ['10.0.0.1'], resolution: 'DNS' }, true],
    ]);
  });
});

describe('matches() with RE2', () => {
  const dnsLabel = 'self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))';

  it('implements the anchored DNS label rule', () => {
    truthTable(dnsLabel, [
      [{ app: 'x', 'my-app': 'y', a1: 'z' }, true],
      [{ '-app': 'x' }, false],
      [{ 'app-': 'x' }, false],
      [{ 'a.b': 'x' }, false],
      [{ ['a'.repeat(62)]: 'x' }, true],
      [{ ['a'.repeat(63)]: 'x' }, false],
    ]);
  });

  it('searches unanchored unless the pattern anchors', () => {
    truthTable('self.matches("b")', [
      ['abc', true],
      ['xyz', false],
    ]);
    truthTable('self.matches("^b")', [['abc', false]]);
  });

  it('supports RE2 syntax that JavaScript lacks or spells differently', () => {
    truthTable('self.matches("(?i)^abc$")', [['ABC', true]]);
    truthTable('self.matches("^\\\\pL+$")', [
      ['caf\u00e9', true],
      ['a1', false],
    ]);
    truthTable('self.matches("^[[:digit:]]+$")', [
      ['123', true],
      ['12a', false],
    ]);
    truthTable('self.matches("a\\\\z")', [
      ['ba', true],
      ['ab', false],
    ]);
  });

  it('rejects lookaround and backreferences like RE2', () => {
    assert.match(failure(evaluateRule('self.matches("a(?=b)")', 'ab')), /regexp/);
    assert.match(failure(evaluateRule('self.matches("(?<!a)b")', 'b')), /regexp/);
    assert.match(failure(evaluateRule('self.matches("(a)\\\\1")', 'aa')), /regexp/);
  });
});

describe('standard and strings-extension functions', () => {
  it('has(), size() and in', () => {
    truthTable('has(self.a) && !has(self.b)', [
      [{ a: 1 }, true],
      [{ a: 1, b: 2 }, false],
    ]);
    assert.equal(value(evaluateRule('size(self)', 'caf\u00e9')), 4n);
    assert.equal(value(evaluateRule('self.size()', [1, 2, 3])), 3n);
    assert.equal(value(evaluateRule('self.size()', { a: 1 })), 1n);
    truthTable('self in ["", "HTTP", "HTTPS"]', [
      ['', true],
      ['HTTPS', true],
      ['https', false],
    ]);
    truthTable('"k" in self', [
      [{ k: 1 }, true],
      [{ j: 1 }, false],
    ]);
  });

  it('substring, startsWith, endsWith, contains (the unix:// address rules)', () => {
    truthTable('self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true', [
      ['unix:///var/run/sock', true],
      ['unix://@abstract', true],
      ['unix://relative', false],
      ['10.0.0.1', true],
      ['unix://', 'error'],
    ]);
    truthTable('self.startsWith("unix://") ? !self.endsWith("/") : true', [
      ['unix:///var/run/', false],
      ['unix:///var/run/sock', true],
    ]);
    truthTable('!self.contains("*")', [
      ['a.example.com', true],
      ['*.example.com', false],
    ]);
  });

  it('strings extension as in Kubernetes', () => {
    eq('self.lowerAscii()', 'AbC\u00c9', 'abc\u00c9');
    eq('self.upperAscii()', 'abc\u00e9', 'ABC\u00e9');
    eq('self.split(",")', 'a,b,,c', ['a', 'b', '', 'c']);
    eq('self.join("-")', ['a', 'b'], 'a-b');
    eq('self.replace("a", "o")', 'banana', 'bonono');
    eq('self.indexOf("an")', 'banana', 1n);
    eq('self.lastIndexOf("an")', 'banana', 3n);
    eq('self.trim()', '  x  ', 'x');
    eq('self.substring(1)', 'caf\u00e9', 'af\u00e9');
    eq('self.charAt(3)', 'caf\u00e9', '\u00e9');
  });

  it('indexes strings by code point and splits/replaces like Go, as cel-go does', () => {
    const party = 'a\u{1f389}b';
    eq('size(self)', party, 3n);
    eq('self.substring(1, 2)', party, '\u{1f389}');
    eq('self.substring(2)', party, 'b');
    eq('self.charAt(2)', party, 'b');
    eq('self.charAt(3)', party, '');
    eq('self.indexOf("b")', party, 2n);
    eq('self.indexOf("a", 1)', 'aba', 2n);
    eq('self.lastIndexOf("a", 1)', 'aba', 0n);
    eq('self.lastIndexOf("ello", 6)', 'hello mellow', 1n);
    eq('self.split("")', party, ['a', '\u{1f389}', 'b']);
    eq('self.split(",", 2)', 'a,b,c', ['a', 'b,c']);
    eq('self.split(",", 0)', 'a,b,c', []);
    eq('self.replace("a", "bc", 2)', 'aaaa', 'bcbcaa');
    eq('self.replace("", "-")', 'ab', '-a-b-');
    eq('self.trim()', '\u0085 a\u00a0\t', 'a');
    eq('self.trim()', 'a\ufeff', 'a\ufeff');
    assert.match(failure(evaluateRule('self.charAt(4)', party)), /index out of range: 4/);
    assert.match(failure(evaluateRule('self.substring(3, 2)', 'abcd')), /invalid substring range/);
  });

  it('int, double and null from YAML keep their CEL types', () => {
    truthTable('type(self) == int', [
      [80, true],
      [80.5, false],
      ['80', false],
    ]);
    truthTable('type(self) == double', [[0.5, true]]);
    truthTable('self == null', [[null, true]]);
    assert.equal(value(evaluateRule('self + 1', 1)), 2n);
    assert.match(failure(evaluateRule('self + 1', 9223372036854775807n)), /overflow/);
  });

  it('errors on a missing field but not when short-circuited', () => {
    failure(evaluateRule('self.a == 1', {}));
    truthTable('has(self.a) && self.a == 1', [[{}, false]]);
    truthTable('self.a == 1 || true', [[{}, true]]);
  });

  it('ternaries and the default-value idiom', () => {
    truthTable('((has(self.operation) ? self.operation : "") == "UPSERT") ? (self.value != "") : true', [
      [{}, true],
      [{ operation: 'UPSERT', value: 'x' }, true],
      [{ operation: 'UPSERT', value: '' }, false],
      [{ operation: 'UPSERT' }, 'error'],
    ]);
  });
});

describe('oldSelf', () => {
  it('is bound only when given', () => {
    assert.equal(isTransitionRule('self == oldSelf'), true);
    assert.match(failure(evaluateRule('self == oldSelf', 1)), /oldSelf/);
    assert.equal(value(evaluateRule('self == oldSelf', 1, { oldSelf: 1 })), true);
    assert.equal(value(evaluateRule('self == oldSelf', 1, { oldSelf: 2 })), false);
  });
});

describe('ip() and cidr() (Kubernetes IP/CIDR library)', () => {
  it('isIP follows netip.ParseAddr and rejects zones and IPv4-mapped IPv6', () => {
    truthTable('isIP(self)', [
      ['10.0.0.1', true],
      ['255.255.255.255', true],
      ['::', true],
      ['::1', true],
      ['2001:db8::1', true],
      ['2001:DB8:0:0:0:0:0:1', true],
      ['::1.2.3.4', true],
      ['01.2.3.4', false],
      ['1.2.3', false],
      ['1.2.3.256', false],
      ['1::2::3', false],
      ['1:2:3:4:5:6:7:8:9', false],
      ['12345::1', false],
      ['fe80::1%eth0', false],
      ['::ffff:1.2.3.4', false],
      ['', false],
      ['10.0.0.0/8', false],
    ]);
  });

  it('string(ip) is the RFC 5952 canonical form, and equality is by address', () => {
    const str = (s: string) => value(evaluateRule('string(ip(self))', s));
    assert.equal(str('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(str('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
    assert.equal(str('0:0:0:0:0:0:0:0'), '::');
    assert.equal(str('1:2:3:4:5:6:7:0'), '1:2:3:4:5:6:7:0');
    assert.equal(str('::1.2.3.4'), '::102:304');
    truthTable('ip(self) == ip("::1")', [
      ['0:0::1', true],
      ['::2', false],
    ]);
    truthTable('ip.isCanonical(self)', [
      ['2001:db8::1', true],
      ['2001:DB8::1', false],
      ['2001:db8:0::1', false],
      ['10.0.0.1', true],
    ]);
    assert.match(failure(evaluateRule('ip(self)', 'not-an-ip')), /parse error/);
  });

  it('classifies addresses like Go', () => {
    const yes = (method: string, s: string) => value(evaluateRule(`ip(self).${method}()`, s));
    assert.equal(yes('family', '10.0.0.1'), 4n);
    assert.equal(yes('family', '::1'), 6n);
    assert.equal(yes('isUnspecified', '0.0.0.0'), true);
    assert.equal(yes('isUnspecified', '::'), true);
    assert.equal(yes('isLoopback', '127.0.0.2'), true);
    assert.equal(yes('isLoopback', '::1'), true);
    assert.equal(yes('isLoopback', '10.0.0.1'), false);
    assert.equal(yes('isLinkLocalUnicast', '169.254.1.1'), true);
    assert.equal(yes('isLinkLocalUnicast', 'fe80::1'), true);
    assert.equal(yes('isLinkLocalMulticast', '224.0.0.251'), true);
    assert.equal(yes('isLinkLocalMulticast', 'ff02::1'), true);
    assert.equal(yes('isLinkLocalMulticast', '224.0.1.1'), false);
    assert.equal(yes('isGlobalUnicast', '10.0.0.1'), true);
    assert.equal(yes('isGlobalUnicast', '2001:db8::1'), true);
    assert.equal(yes('isGlobalUnicast', '255.255.255.255'), false);
    assert.equal(yes('isGlobalUnicast', '239.1.1.1'), false);
  });

  it('isCIDR follows netip.ParsePrefix', () => {
    truthTable('isCIDR(self)', [
      ['10.0.0.0/8', true],
      ['10.1.2.3/8', true],
      ['10.0.0.0/32', true],
      ['2001:db8::/32', true],
      ['::/0', true],
      ['10.0.0.0/33', false],
      ['10.0.0.0/08', false],
      ['10.0.0.0/+8', false],
      ['10.0.0.0', false],
      ['fe80::%eth0/64', false],
      ['::ffff:10.0.0.0/104', false],
    ]);
  });

  it('cidr methods', () => {
    eq('cidr(self).containsIP("10.1.2.3")', '10.0.0.0/8', true);
    eq('cidr(self).containsIP(ip("11.0.0.1"))', '10.0.0.0/8', false);
    eq('cidr(self).containsIP("::1")', '10.0.0.0/8', false);
    eq('cidr(self).containsCIDR("10.1.0.0/16")', '10.0.0.0/8', true);
    eq('cidr(self).containsCIDR(cidr("10.0.0.0/8"))', '10.0.0.0/8', true);
    eq('cidr(self).containsCIDR("10.0.0.0/7")', '10.0.0.0/8', false);
    eq('string(cidr(self).masked())', '10.1.2.3/8', '10.0.0.0/8');
    eq('string(cidr(self).ip())', '10.1.2.3/8', '10.1.2.3');
    eq('cidr(self).prefixLength()', '2001:db8::/32', 32n);
    eq('string(cidr(self))', '2001:DB8::/32', '2001:db8::/32');
  });
});

describe('result values', () => {
  it('converts non-boolean results to plain values', () => {
    assert.equal(value(evaluateRule('duration(self)', '3723.5s')), '1h2m3.5s');
    assert.equal(value(evaluateRule('duration(self)', '1500us')), '1.5ms');
    assert.equal(value(evaluateRule('duration(self)', '0s')), '0s');
    assert.equal(value(evaluateRule('url(self)', 'https://a/b')), 'https://a/b');
    assert.equal(value(evaluateRule('ip(self)', '0:0::1')), '::1');
    assert.equal(value(evaluateRule('type(self)', 'x')), 'string');
    assert.deepEqual(value(evaluateRule('self', { a: [1, 'b'] })), new Map([['a', [1n, 'b']]]));
  });
});

describe('properties', () => {
  it('Go duration strings round-trip through parse and format', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (nanos) => {
        const parsed = parseGoDuration(formatGoDuration(nanos));
        assert.deepEqual(parsed, { ok: true, nanos });
      }),
    );
  });

  it('addresses round-trip through format and parse', () => {
    const addr = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }));
    fc.assert(
      fc.property(addr, (bytes) => {
        const text = formatAddr({ bytes, zone: '' });
        const parsed = parseAddr(text);
        assert.ok(parsed.ok, text);
        assert.deepEqual(Array.from(parsed.value.bytes), Array.from(bytes));
        assert.equal(formatAddr(parsed.value), text);
      }),
    );
  });

  it('URL parsing never throws and ParseRequestURI accepts only what Parse accepts', () => {
    const urlish = fc.stringMatching(/^[a-z]{0,5}(:\/\/)?[-a-zA-Z0-9.:@%\[\]{} /?#&=+]{0,30}$/);
    fc.assert(
      fc.property(urlish, (raw) => {
        const strict = parseRequestUri(raw);
        const lenient = parseUrl(raw);
        if (strict.ok && !raw.includes('#')) assert.ok(lenient.ok, raw);
      }),
    );
  });

  it('evaluateRule never throws, whatever the input', () => {
    const rules = [...new Set(crdRules.map((r) => r.rule))];
    fc.assert(
      fc.property(fc.constantFrom(...rules), fc.jsonValue(), (rule, self) => {
        const outcome = evaluateRule(rule, self);
        assert.equal(typeof outcome.ok, 'boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('quantity() (Kubernetes quantity library)', () => {
  it('isQuantity follows resource.ParseQuantity syntax', () => {
    truthTable('isQuantity(self)', [
      ['500m', true],
      ['1.5Gi', true],
      ['1e3', true],
      ['-1E-3', true],
      ['.5', true],
      ['1.', true],
      ['10', true],
      ['1K', false],
      ['1 Gi', false],
      ['1.5.5', false],
      ['abc', false],
      ['', false],
    ]);
  });

  it('compares and computes exactly', () => {
    truthTable('quantity(self) == quantity("1000m")', [
      ['1', true],
      ['1.0', true],
      ['1001m', false],
    ]);
    eq('quantity(self).asInteger()', '1.5Gi', 1610612736n);
    eq('quantity(self).isInteger()', '1500m', false);
    eq('quantity(self).asApproximateFloat()', '500m', 0.5);
    eq('quantity(self).add(quantity("500m")).asInteger()', '1500m', 2n);
    eq('quantity(self).sub(2).sign()', '1', -1n);
    eq('quantity(self).isGreaterThan(quantity("1Gi"))', '1G', false);
    eq('quantity(self).isLessThan(quantity("1Gi"))', '1G', true);
    eq('quantity(self).compareTo(quantity("1Ki"))', '1024', 0n);
    eq('quantity(self) == quantity("1n")', '0.1n', true);
    assert.match(failure(evaluateRule('quantity(self).asInteger()', '500m')), /cannot convert/);
    assert.match(failure(evaluateRule('quantity(self)', '1K')), /suffix/);
  });
});
