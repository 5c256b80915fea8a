/**
 * The Gateway API v1.5.1 upstream examples (vendored in test/fixtures/realworld/gateway-api, Apache-2.0),
 * through FileModel (the full per-document pipeline): what upstream's own CRD test applies
 * successfully validates with no error, and every document upstream expects the API server to
 * reject gets an error naming the rule it breaks.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';
import { realworldPath } from '../helpers/realworld';

const FIXTURES = realworldPath('gateway-api');

function yamlFiles(dir: string): string[] {
  return readdirSync(path.join(FIXTURES, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.yaml'))
    .map((d) => path.relative(FIXTURES, path.join(d.parentPath, d.name)))
    .sort();
}

function findings(file: string): { model: FileModel; findings: Finding[] } {
  const model = new FileModel();
  model.update(readFileSync(path.join(FIXTURES, file), 'utf8'));
  return { model, findings: model.findings() };
}

const show = (fs: readonly Finding[]): string => fs.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`).join('\n');

describe('Gateway API v1.5.1 standard examples (upstream, valid)', () => {
  const files = yamlFiles('examples/standard');

  it('are all here (a missing copy would make the next test vacuous)', () => {
    assert.equal(files.length, 66);
  });

  for (const file of files) {
    it(`${file}: no error, no warning`, () => {
      const { model, findings: fs } = findings(file);
      const gatewayDocs = model.documents.filter((d) => d.analysis.resource?.group === 'gateway.networking.k8s.io');
      // Files of plain Kubernetes objects only (namespaces) hold no Gateway API document.
      if (!/namespaces\.yaml$/.test(file)) assert.ok(gatewayDocs.length > 0, `${file}: no Gateway API document recognised`);
      assert.deepEqual(fs.filter((f) => f.severity === 'error' || f.severity === 'warning'), [], show(fs));
    });
  }
});

/**
 * For each invalid example: fragments of the error(s) it must get (the CRD rule's own message, or
 * the structural constraint it breaks), and where (1-based line of the first finding's start).
 */
const EXPECTED: Record<string, Array<{ code: string; fragment: string | RegExp; line: number }>> = {
  'gateway/duplicate-listeners.yaml': [
    { code: 'schema-cel', fragment: 'Listener name must be unique within the Gateway', line: 7 },
    { code: 'schema-duplicate-item', fragment: 'duplicate entry for name="same"', line: 11 },
  ],
  'gateway/hostname-tcp.yaml': [{ code: 'schema-cel', fragment: "hostname must not be specified for protocols ['TCP', 'UDP']", line: 7 }],
  'gateway/hostname-udp.yaml': [{ code: 'schema-cel', fragment: "hostname must not be specified for protocols ['TCP', 'UDP']", line: 7 }],
  'gateway/invalid-addresses.yaml': [
    { code: 'schema-one-of', fragment: 'spec.addresses[0]: value "1200:0000:::AB00:1234:0000:2552:7777:1313" is not an IPv4 address', line: 8 },
    { code: 'schema-one-of', fragment: 'spec.addresses[1]: value "21DA:D3:0:2F3B:2AY:FF:FE28:9C5A" is not an IPv4 address', line: 9 },
    { code: 'schema-one-of', fragment: 'spec.addresses[2]: value "2001:db8:3c4d:15:0:d234:3eee:"', line: 10 },
    { code: 'schema-one-of', fragment: 'spec.addresses[3]: value "2001:db8:3c4d:15:0:d234:3eee:::"', line: 11 },
    { code: 'schema-one-of', fragment: 'spec.addresses[4]: value ":::1234::"', line: 12 },
    { code: 'schema-one-of', fragment: 'spec.addresses[5]: value "1.1.1"', line: 13 },
    { code: 'schema-one-of', fragment: 'spec.addresses[6]: value "1.a.3.4"', line: 14 },
    { code: 'schema-one-of', fragment: 'spec.addresses[7]: value "foo.com" is not an IPv4 address such as 192.0.2.10, nor an IPv6 address', line: 15 },
    { code: 'schema-one-of', fragment: 'spec.addresses[8]: value "256.255.255.255"', line: 17 },
    { code: 'schema-cel', fragment: 'spec.addresses[9]: Hostname value must be empty or contain only valid characters', line: 18 },
  ],
  'gateway/invalid-listener-name.yaml': [{ code: 'schema-pattern', fragment: 'spec.listeners[0].name: "bad>" does not match the pattern', line: 8 }],
  'gateway/invalid-listener-port.yaml': [{ code: 'schema-maximum', fragment: 'spec.listeners[0].port: must be at most 65535, is 123456789', line: 10 }],
  'gateway/invalid-tls-mode.yaml': [{ code: 'schema-cel', fragment: 'tls mode must be Terminate for protocol HTTPS', line: 7 }],
  'gateway/tlsconfig-tcp.yaml': [{ code: 'schema-cel', fragment: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']", line: 7 }],
  'gatewayclass/invalid-controller.yaml': [{ code: 'schema-pattern', fragment: 'spec.controllerName: "example" does not match the pattern', line: 6 }],
  'httproute/duplicate-header-match.yaml': [{ code: 'schema-duplicate-item', fragment: 'duplicate entry for name="foo"', line: 11 }],
  'httproute/duplicate-query-match.yaml': [{ code: 'schema-duplicate-item', fragment: 'queryParams[1]: duplicate entry for name="foo"', line: 11 }],
  'httproute/httproute-portless-backend.yaml': [{ code: 'schema-cel', fragment: 'spec.rules[0].backendRefs[0]: Must have port for Service reference', line: 10 }],
  'httproute/httproute-portless-service.yaml': [{ code: 'schema-cel', fragment: 'Must have port for Service reference', line: 10 }],
  'httproute/invalid-backend-group.yaml': [{ code: 'schema-pattern', fragment: 'backendRefs[0].group: "*" does not match the pattern', line: 8 }],
  'httproute/invalid-backend-kind.yaml': [{ code: 'schema-pattern', fragment: 'backendRefs[0].kind: "*" does not match the pattern', line: 8 }],
  'httproute/invalid-backend-port.yaml': [{ code: 'schema-maximum', fragment: 'backendRefs[0].port: must be at most 65535, is 800080', line: 9 }],
  'httproute/invalid-filter-duplicate-header.yaml': [{ code: 'schema-duplicate-item', fragment: 'requestHeaderModifier.remove[1]: duplicate value "foo"', line: 12 }],
  'httproute/invalid-filter-duplicate.yaml': [{ code: 'schema-cel', fragment: 'RequestHeaderModifier filter cannot be repeated', line: 7 }],
  'httproute/invalid-filter-empty.yaml': [{ code: 'schema-cel', fragment: 'filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type', line: 8 }],
  'httproute/invalid-filter-wrong-field.yaml': [
    { code: 'schema-cel', fragment: 'filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type', line: 8 },
    { code: 'schema-cel', fragment: 'filter.requestRedirect must be nil if the filter.type is not RequestRedirect', line: 8 },
  ],
  'httproute/invalid-header-name.yaml': [{ code: 'schema-pattern', fragment: 'headers[0].name: "magic/" does not match the pattern', line: 10 }],
  'httproute/invalid-hostname.yaml': [{ code: 'schema-pattern', fragment: 'spec.hostnames[0]: "http://a<" does not match the pattern', line: 7 }],
  'httproute/invalid-httpredirect-hostname.yaml': [
    { code: 'schema-cel', fragment: 'RequestRedirect filter must not be used together with backendRefs', line: 7 },
    { code: 'schema-pattern', fragment: 'requestRedirect.hostname: "*.gateway.networking.k8s.io" does not match the pattern', line: 13 },
  ],
  'httproute/invalid-method.yaml': [{ code: 'schema-enum', fragment: 'method: "NOTREAL" is not a supported value', line: 8 }],
  'httproute/invalid-path-alphanum-specialchars-mix.yaml': [{ code: 'schema-cel', fragment: "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']", line: 8 }],
  'httproute/invalid-path-specialchars.yaml': [{ code: 'schema-cel', fragment: 'must only contain valid characters', line: 8 }],
  'httproute/invalid-request-redirect-with-backendref.yaml': [{ code: 'schema-cel', fragment: 'RequestRedirect filter must not be used together with backendRefs', line: 9 }],
  'referencegrant/missing-from.yaml': [{ code: 'schema-required', fragment: 'spec: required field "from" is missing', line: 5 }],
  'referencegrant/missing-ns.yaml': [{ code: 'schema-required', fragment: 'spec.from[0]: required field "namespace" is missing', line: 10 }],
  'referencegrant/missing-to.yaml': [{ code: 'schema-required', fragment: 'spec: required field "to" is missing', line: 5 }],
  'tlsroute/invalid-hostname.yaml': [
    { code: 'schema-cel', fragment: 'Hostnames must be valid based on RFC-1123', line: 6 },
    { code: 'schema-pattern', fragment: 'spec.hostnames[0]: "http://a<" does not match the pattern', line: 7 },
  ],
  'tlsroute/no-hostname.yaml': [{ code: 'schema-required', fragment: 'spec: required field "hostnames" is missing', line: 5 }],
};

describe('Gateway API v1.5.1 invalid examples (upstream, rejected by the API server)', () => {
  const files = yamlFiles('hack/invalid-examples/standard');

  it('every invalid example has expectations, and every expectation a file', () => {
    assert.deepEqual(files.map((f) => f.replace('hack/invalid-examples/standard/', '')), Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    const key = file.replace('hack/invalid-examples/standard/', '');
    it(`${key}: rejected with the rule it breaks`, () => {
      const { findings: fs } = findings(file);
      const errors = fs.filter((f) => f.severity === 'error');
      assert.ok(errors.length > 0, `${key}: no error\n${show(fs)}`);
      for (const e of EXPECTED[key] ?? []) {
        const hit = errors.find((f) => f.code === e.code && (typeof e.fragment === 'string' ? f.message.includes(e.fragment) : e.fragment.test(f.message)));
        assert.ok(hit, `${key}: no ${e.code} with "${e.fragment}"\n${show(fs)}`);
        assert.equal(hit.range.start.line + 1, e.line, `${key}: ${e.code} on line ${hit.range.start.line + 1}, expected ${e.line}`);
      }
    });
  }
});
