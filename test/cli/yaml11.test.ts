/**
 * Kubernetes reads manifests with go-yaml v2 (YAML 1.1 plain scalars, merge keys): `istio-sec check`
 * must validate what Kubernetes reads, and warn where YAML 1.2 tools read something else.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

interface JsonFinding {
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

const RA = (value: string): string =>
  `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\nspec:\n  jwtRules:\n  - issuer: https://idp.example.com\n    forwardOriginalToken: ${value}\n`;

const SE = (number: string): string =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\nspec:\n  hosts: [api.example.com]\n  resolution: DNS\n  ports:\n  - number: ${number}\n    name: https\n    protocol: TLS\n`;

describe('istio-sec check reads YAML 1.1 as Kubernetes does (go-yaml v2)', () => {
  let dir: string;
  let n = 0;
  before(() => {
    dir = tempDir('istio-sec-yaml11-');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = (text: string): { status: number | null; findings: JsonFinding[] } => {
    const file = join(dir, `f${n++}.yaml`);
    writeFileSync(file, text);
    const r = runCli(['check', '--offline', '--format', 'json', file]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    // Information findings (e.g. a RequestAuthentication without a policy) are not about YAML.
    return { status: r.status, findings: (JSON.parse(r.stdout) as JsonFinding[]).filter((f) => f.severity !== 'information') };
  };

  it('a boolean field accepts every YAML 1.1 boolean (yes, on, y, No...), with a warning that YAML 1.2 tools read a string', () => {
    for (const value of ['yes', 'Yes', 'YES', 'on', 'ON', 'y', 'Y', 'no', 'off', 'N']) {
      const { status, findings } = check(RA(value));
      assert.equal(status, 0, `${value}: ${JSON.stringify(findings)}`);
      assert.deepEqual(findings.map((f) => [f.code, f.severity, f.range.start.line]), [['yaml-1-1-scalar', 'warning', 7]], value);
      const truth = /^(y|yes|on)$/i.test(value);
      assert.match(findings[0].message, new RegExp(`unquoted ${value} is ${truth}; YAML 1.2 tools read the string "${value}"`));
    }
  });

  it('an integer with underscores is the integer Kubernetes reads (8_080 is 8080), not a type error', () => {
    const { status, findings } = check(SE('8_080'));
    assert.equal(status, 0, JSON.stringify(findings));
    assert.deepEqual(findings.map((f) => f.code), ['yaml-1-1-scalar']);
    assert.match(findings[0].message, /8_080 is the integer 8080/);
  });

  it('a leading-zero integer is octal for Kubernetes (0443 is 291), and the warning says so', () => {
    const { findings } = check(SE('0443'));
    const f = findings.find((x) => x.code === 'yaml-1-1-scalar');
    assert.ok(f, JSON.stringify(findings));
    assert.match(f.message, /0443 is the integer 291 \(a leading 0 makes it octal\); YAML 1.2 tools read the integer 443/);
  });

  it('an unquoted 1_000 in a string list is an integer for Kubernetes: an error with a quote fix', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ap\nspec:\n  rules:\n  - when:\n    - key: request.headers[x-count]\n      values: [1_000]\n';
    const { status, findings } = check(text);
    assert.equal(status, 1, JSON.stringify(findings));
    const f = findings.find((x) => x.code === 'schema-ambiguous-scalar');
    assert.ok(f, JSON.stringify(findings));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /values\[0\]: expected string, found integer: Kubernetes reads YAML 1.1, where unquoted 1_000 means the integer 1000/);
  });

  it('merge keys (<<: *anchor) are merged, not reported as an unknown field, and the merged values are validated', () => {
    const text =
      'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ap\n  labels: &labels\n    app: web\nspec:\n  selector:\n    matchLabels:\n      <<: *labels\n' +
      '  action: DENY\n  rules:\n  - to:\n    - operation:\n        <<: &op {methods: [GET], ports: ["8080"]}\n        paths: [/admin]\n    - operation:\n        <<: [*op, {hosts: [a.example.com]}]\n';
    const { findings } = check(text);
    assert.deepEqual(findings.filter((f) => f.severity === 'error'), [], JSON.stringify(findings));
    assert.ok(!findings.some((f) => f.message.includes('<<')), JSON.stringify(findings));
    // The merged operation has methods: a DENY rule with methods is HTTP-only; with ports it is not reported as TCP-wide.
    const bad = text.replace('ports: ["8080"]', 'ports: ["99999"]');
    const merged = check(bad).findings.filter((f) => f.severity === 'error');
    assert.ok(merged.length > 0, 'an invalid port inside the merged mapping is reported');
  });

  it('a document lists at most 100 findings of one code; one more finding counts the rest, with their highest severity', () => {
    const rules = Array.from({ length: 250 }, (_, i) => `  - issuer: https://idp${i}.example.com\n    forwardOriginalToken: ${i === 240 ? '"maybe"' : 'yes'}\n`).join('');
    const { status, findings } = check(`apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\nspec:\n  jwtRules:\n${rules}`);
    const scalars = findings.filter((f) => f.code === 'yaml-1-1-scalar');
    assert.equal(scalars.length, 101, JSON.stringify(findings.slice(0, 3)));
    assert.ok(scalars.slice(0, 100).every((f) => f.severity === 'warning' && !/more yaml-1-1-scalar/.test(f.message)));
    const summary = scalars[100];
    // The 101st of 249 warnings (rule 240 holds a string, a schema error instead): 148 more after it.
    assert.equal(summary.range.start.line, 6 + 100 * 2 + 1);
    assert.match(summary.message, /\(and 148 more yaml-1-1-scalar findings after this one in this document, not listed: the first 100 of each code are\)$/);
    assert.equal(summary.severity, 'warning');
    assert.equal(status, 1, 'the schema error of rule 240 is still reported');
    assert.ok(findings.some((f) => f.severity === 'error' && f.range.start.line === 6 + 240 * 2 + 1));
  });
});
