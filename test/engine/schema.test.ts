import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import type { Finding, Range } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';
import { parseDoc } from '../../engine/src/model/parse';
import { allKinds, findKind, schemaAt, servedVersions } from '../../engine/src/schema/catalog';
import { didYouMean } from '../../engine/src/schema/suggest';
import type { JSONSchema } from '../../engine/src/schema/types';
import { checkSchema } from '../../engine/src/schema/validate';
import { walkValue, type WalkState } from '../../engine/src/schema/walk';
import { runCelTasks } from '../../engine/src/schema/celRules';
import { needsShared } from '../helpers/shared';

const ROOT = path.resolve(__dirname, '../..');

function schemaFindings(text: string): Finding[] {
  const out: Finding[] = [];
  checkSchema(parseDoc(text), out);
  return out;
}

/** The range of the n-th occurrence of `needle` in `text` (0-based lines and characters). */
function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `"${needle}" #${occurrence} not in the text`);
  }
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  return { start: pos(offset), end: pos(offset + needle.length) };
}

function only(findings: Finding[], code: string): Finding {
  const matching = findings.filter((f) => f.code === code);
  assert.equal(matching.length, 1, `expected one ${code}, got: ${findings.map((f) => `${f.code}: ${f.message}`).join(' | ')}`);
  return matching[0];
}

/** Applies a fix's edits (single-line edits, as schema fixes are) to the text. */
function applyFix(text: string, f: Finding): string {
  const lines = text.split('\n');
  for (const e of f.fixes?.[0].edits ?? []) {
    const line = lines[e.range.start.line];
    lines[e.range.start.line] = line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
  }
  return lines.join('\n');
}

const AP = (spec: string, extra = '') =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n  namespace: foo${extra}\nspec:\n${spec}`;
const RA = (spec: string) => `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\nspec:\n${spec}`;
const SE = (spec: string) => `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\nspec:\n${spec}`;
const DR = (spec: string) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: dr\nspec:\n${spec}`;

describe('generated schemas', () => {
  const crds = needsShared(['istio-crds', 'gateway-api-crds'], 'npm run gen:schemas reads the CRDs there; the committed schemas/ are used as they are');
  it('regenerating from the CRDs gives no diff', crds, () => {
    const r = spawnSync(process.execPath, ['scripts/gen-schemas.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('the check notices a changed schema file', crds, () => {
    const dir = tempDir('schemas-');
    try {
      cpSync(path.join(ROOT, 'schemas'), dir, { recursive: true });
      const file = path.join(dir, 'security.istio.io/AuthorizationPolicy.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"ALLOW"', '"PERMIT"'));
      const r = spawnSync(process.execPath, ['scripts/gen-schemas.mjs', '--check', '--out', dir], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /AuthorizationPolicy\.json/);
    } finally {
      removeTempDir(dir);
    }
  });

  it('index.json agrees with the catalog (served and storage versions, one shared schema per kind)', () => {
    const index = JSON.parse(readFileSync(path.join(ROOT, 'schemas/index.json'), 'utf8')) as {
      kinds: Array<{ group: string; kind: string; plural: string; served: string[]; storage: string; file: string }>;
    };
    assert.equal(index.kinds.length, allKinds().length);
    for (const k of index.kinds) {
      const info = findKind(k.group, k.kind);
      assert.ok(info, k.kind);
      assert.deepEqual([...info.servedVersions], k.served);
      assert.equal(info.storageVersion, k.storage);
      assert.equal(info.plural, k.plural);
    }
    const ap = findKind('security.istio.io', 'AuthorizationPolicy');
    assert.deepEqual(ap?.file.schemas.map((s) => s.versions), [['v1', 'v1beta1']]);
  });
});

describe('catalog lookup', () => {
  it('servedVersions, findKind', () => {
    assert.deepEqual(servedVersions('networking.istio.io', 'VirtualService'), ['v1', 'v1alpha3', 'v1beta1']);
    assert.deepEqual(servedVersions('security.istio.io', 'Nope'), []);
    assert.equal(findKind('networking.istio.io', 'AuthorizationPolicy'), undefined);
  });

  it('schemaAt returns sub-schemas with description, type and enum', () => {
    const uri = schemaAt('RequestAuthentication', 'v1', ['spec', 'jwtRules', 0, 'jwksUri']);
    assert.equal(uri?.type, 'string');
    assert.match(uri?.description ?? '', /public key set/i);
    assert.ok(uri?.['x-kubernetes-validations']?.some((r) => r.rule.includes('url(self)')));
    assert.deepEqual(schemaAt('AuthorizationPolicy', 'v1', ['spec', 'action'])?.enum, ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);
    assert.equal(schemaAt('AuthorizationPolicy', 'v1', ['metadata', 'labels', 'app'])?.type, 'string');
    assert.equal(schemaAt('AuthorizationPolicy', 'v1alpha1', ['spec']), undefined);
    assert.equal(schemaAt('AuthorizationPolicy', 'v1', ['spec', 'nope']), undefined);
  });
});

describe('apiVersion and kind', () => {
  it('api-version-not-served: error on the apiVersion value listing served versions, fix to the storage version', () => {
    const text = 'apiVersion: security.istio.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\nspec: {}\n';
    const f = only(schemaFindings(text), 'api-version-not-served');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'security.istio.io/v1alpha1'));
    assert.match(f.message, /served versions: security\.istio\.io\/v1, security\.istio\.io\/v1beta1/);
    assert.equal(applyFix(text, f).split('\n')[0], 'apiVersion: security.istio.io/v1');
  });

  it('unknown-kind: error on the kind value with did-you-mean and a fix', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: AuthorisationPolicy\nmetadata:\n  name: p\n';
    const f = only(schemaFindings(text), 'unknown-kind');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'AuthorisationPolicy'));
    assert.match(f.message, /did you mean AuthorizationPolicy\?/);
    assert.match(f.message, /PeerAuthentication, RequestAuthentication/);
    assert.equal(applyFix(text, f).split('\n')[1], 'kind: AuthorizationPolicy');
  });

  it('unknown-kind: a kind of another Istio group points at the right apiVersion', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n';
    const f = only(schemaFindings(text), 'unknown-kind');
    assert.deepEqual(f.range, rangeOf(text, 'networking.istio.io/v1'));
    assert.equal(applyFix(text, f).split('\n')[0], 'apiVersion: security.istio.io/v1');
  });

  it('quoted apiVersion and kind are fine', () => {
    assert.deepEqual(schemaFindings('apiVersion: "security.istio.io/v1beta1"\nkind: "AuthorizationPolicy"\nmetadata:\n  name: p\n'), []);
  });
});

describe('metadata', () => {
  it('metadata-name-missing on the metadata key, unless generateName', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  namespace: foo\n';
    const f = only(schemaFindings(text), 'metadata-name-missing');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'metadata'));
    assert.deepEqual(schemaFindings('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  generateName: pa-\n'), []);
  });

  it('metadata-name-invalid and metadata-namespace-invalid (DNS-1123)', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: My_Policy\n  namespace: team.a\n';
    const findings = schemaFindings(text);
    const name = only(findings, 'metadata-name-invalid');
    assert.deepEqual(name.range, rangeOf(text, 'My_Policy'));
    assert.match(name.message, /DNS-1123 subdomain/);
    const ns = only(findings, 'metadata-namespace-invalid');
    assert.deepEqual(ns.range, rangeOf(text, 'team.a'));
    assert.deepEqual(schemaFindings(text.replace('My_Policy', 'my.policy-1').replace('team.a', 'team-a')), []);
  });

  it('labels must be strings: an unquoted number is a type error with a quote fix; keys and values are checked', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: pa\n  labels:\n    version: 1\n    "bad key!": x\n    app: -bad-\n';
    const findings = schemaFindings(text);
    const type = only(findings, 'schema-type');
    assert.deepEqual(type.range, rangeOf(text, '1', 1));
    assert.match(type.message, /metadata\.labels\[version\]: expected string, found integer 1/);
    assert.match(applyFix(text, type), /version: "1"/);
    const invalid = findings.filter((f) => f.code === 'metadata-label-invalid');
    assert.deepEqual(
      invalid.map((f) => f.range),
      [rangeOf(text, '"bad key!"'), rangeOf(text, '-bad-')],
    );
  });
});

describe('unknown fields', () => {
  it('jwksURI → jwksUri: error on the key with a rename fix', () => {
    const text = RA('  jwtRules:\n  - issuer: https://example.com\n    jwksURI: https://example.com/jwks.json\n');
    const f = only(schemaFindings(text), 'schema-unknown-field');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'jwksURI'));
    assert.match(f.message, /Unknown field "jwksURI" in spec\.jwtRules\[0\]: did you mean "jwksUri"\? \(valid fields: .*jwksUri.*\)/);
    assert.deepEqual(f.fixes?.[0].edits, [{ range: rangeOf(text, 'jwksURI'), newText: 'jwksUri' }]);
    assert.deepEqual(schemaFindings(applyFix(text, f)), []);
  });

  it('snake_case sni_hosts → sniHosts (the required sniHosts is missing too)', () => {
    const text = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\nspec:\n  hosts: [a.com]\n  tls:\n  - match:\n    - port: 443\n      sni_hosts: [a.com]\n    route:\n    - destination:\n        host: a.com\n`;
    const findings = schemaFindings(text);
    const unknown = only(findings, 'schema-unknown-field');
    assert.deepEqual(unknown.range, rangeOf(text, 'sni_hosts'));
    assert.equal(unknown.fixes?.[0].edits[0].newText, 'sniHosts');
    const required = only(findings, 'schema-required');
    assert.match(required.message, /spec\.tls\[0\]\.match\[0\]: required field "sniHosts" is missing/);
    assert.deepEqual(required.range, rangeOf(text, 'port: 443'));
  });

  it('unknown top-level and metadata fields; a quoted key keeps its quotes in the fix', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: pa\n  "lables": {}\nspex: {}\n';
    const findings = schemaFindings(text).filter((f) => f.code === 'schema-unknown-field');
    assert.deepEqual(findings.map((f) => f.range), [rangeOf(text, '"lables"'), rangeOf(text, 'spex')]);
    assert.equal(findings[0].fixes?.[0].edits[0].newText, '"labels"');
    assert.equal(findings[1].fixes?.[0].edits[0].newText, 'spec');
  });

  it('no fix when the suggested field is already set; no suggestion when nothing is close', () => {
    const text = AP('  action: DENY\n  Action: ALLOW\n  zzzz: 1\n');
    const findings = schemaFindings(text).filter((f) => f.code === 'schema-unknown-field');
    assert.equal(findings.length, 2);
    assert.equal(findings[0].fixes, undefined);
    assert.match(findings[0].message, /did you mean "action"/);
    assert.doesNotMatch(findings[1].message, /did you mean/);
  });

  it('x-kubernetes-preserve-unknown-fields: EnvoyFilter patch values take any field', () => {
    const text = `apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: ef\nspec:\n  configPatches:\n  - applyTo: HTTP_FILTER\n    patch:\n      operation: INSERT_BEFORE\n      value:\n        name: envoy.lua\n        typed_config:\n          anything: goes\n`;
    assert.deepEqual(schemaFindings(text), []);
  });

  it('didYouMean: case, separators and typos; ambiguous or far names get nothing', () => {
    assert.equal(didYouMean('jwksURI', ['jwksUri', 'issuer']), 'jwksUri');
    assert.equal(didYouMean('sni_hosts', ['sniHosts', 'port']), 'sniHosts');
    assert.equal(didYouMean('isuer', ['issuer', 'audiences']), 'issuer');
    assert.equal(didYouMean('hsots', ['hosts', 'port']), 'hosts');
    assert.equal(didYouMean('xyz', ['hosts', 'port']), undefined);
  });
});

describe('types, enums and bounds', () => {
  it('schema-type names expected and found, on the value', () => {
    const text = SE('  hosts: [a.com]\n  ports:\n  - number: http\n    name: http\n');
    const f = only(schemaFindings(text), 'schema-type');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'http'));
    assert.equal(f.message, 'spec.ports[0].number: expected integer, found string "http".');
  });

  it('a type error anywhere stops CEL rules (as the API server does)', () => {
    const text = SE('  hosts: ["*"]\n  ports:\n  - number: 1.5\n    name: http\n');
    const codes = schemaFindings(text).map((f) => f.code);
    assert.deepEqual(codes, ['schema-type']);
    assert.ok(schemaFindings(SE('  hosts: ["*"]\n')).some((f) => f.code === 'schema-cel'));
  });

  it('unquoted yes/no/on/off are booleans for Kubernetes (YAML 1.1): schema-ambiguous-scalar error in string fields, with a quote fix', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: pa\n  labels:\n    canary: on\n    quoted: "off"\n';
    const f = only(schemaFindings(text), 'schema-ambiguous-scalar');
    assert.equal(f.severity, 'error');
    const at = rangeOf(text, 'canary: on');
    assert.deepEqual(f.range, { start: { line: at.start.line, character: at.end.character - 2 }, end: at.end });
    assert.match(f.message, /metadata\.labels\[canary\]: expected string, found boolean: .*unquoted on means true/);
    assert.match(applyFix(text, f), /canary: "on"/);
  });

  it('int-or-string accepts both', () => {
    const base = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: pa\nstatus:\n  observedGeneration: ';
    assert.deepEqual(schemaFindings(`${base}3\n`), []);
    assert.deepEqual(schemaFindings(`${base}"3"\n`), []);
    assert.equal(only(schemaFindings(`${base}true\n`), 'schema-type').message, 'status.observedGeneration: expected integer or string, found boolean true. Quote it to make it a string.');
  });

  it('schema-enum lists valid values; the fix keeps quoting', () => {
    const text = AP("  action: 'allow'\n");
    const f = only(schemaFindings(text), 'schema-enum');
    assert.deepEqual(f.range, rangeOf(text, "'allow'"));
    assert.match(f.message, /spec\.action: "allow" is not a supported value; use "ALLOW", "DENY", "AUDIT" or "CUSTOM"/);
    assert.deepEqual(f.fixes?.[0].edits[0].newText, "'ALLOW'");
    assert.equal(only(schemaFindings(AP('  action: PERMIT\n')), 'schema-enum').fixes, undefined);
  });

  it('minimum/maximum, minLength, pattern, minProperties', () => {
    const warm = DR('  host: a\n  trafficPolicy:\n    loadBalancer:\n      warmup:\n        duration: 10s\n        minimumPercent: 150\n');
    const max = only(schemaFindings(warm), 'schema-maximum');
    assert.deepEqual(max.range, rangeOf(warm, '150'));
    assert.match(max.message, /minimumPercent: must be at most 100, is 150/);

    const aud = RA('  jwtRules:\n  - issuer: a\n    audiences: [""]\n');
    assert.deepEqual(only(schemaFindings(aud), 'schema-min-length').range, rangeOf(aud, '""'));

    const hdr = RA('  jwtRules:\n  - issuer: a\n    outputClaimToHeaders:\n    - header: ":authority"\n      claim: sub\n');
    const pattern = only(schemaFindings(hdr), 'schema-pattern');
    assert.deepEqual(pattern.range, rangeOf(hdr, '":authority"'));

    const pa = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: pa\nspec:\n  selector:\n    matchLabels: {app: a}\n  portLevelMtls: {}\n';
    assert.deepEqual(only(schemaFindings(pa), 'schema-min-properties').range, rangeOf(pa, 'portLevelMtls'));
  });

  it('schema-min-items on the list key', () => {
    const text = SE('  hosts: []\n');
    const f = only(schemaFindings(text), 'schema-min-items');
    assert.deepEqual(f.range, rangeOf(text, 'hosts'));
  });

  it('schema-required on the parent key naming the field', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n  - port:\n      number: 80\n      name: http\n    hosts: ["*"]\n';
    const f = only(schemaFindings(text), 'schema-required');
    assert.deepEqual(f.range, rangeOf(text, 'port'));
    assert.equal(f.message, 'spec.servers[0].port: required field "protocol" is missing; add protocol.');
  });

  it('non-nullable nulls are dropped like the API server does (then required applies)', () => {
    assert.deepEqual(schemaFindings(AP('  selector: null\n  action: ~\n')), []);
    const text = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\nspec:\n';
    const f = only(schemaFindings(text), 'schema-required');
    assert.equal(f.message, 'ServiceEntry: required field "spec" is missing; add spec.');
    assert.deepEqual(f.range, rangeOf(text, 'ServiceEntry'));
  });

  it('a null list item is a type error', () => {
    const text = RA('  jwtRules:\n  -\n');
    assert.match(only(schemaFindings(text), 'schema-type').message, /spec\.jwtRules\[0\]: expected object, found null/);
  });
});

describe('oneOf and list types', () => {
  it('schema-one-of names the conflicting fields, on the second one', () => {
    const text = DR('  host: a\n  trafficPolicy:\n    loadBalancer:\n      simple: ROUND_ROBIN\n      consistentHash:\n        useSourceIp: true\n');
    const f = only(schemaFindings(text), 'schema-one-of');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'consistentHash'));
    assert.match(f.message, /spec\.trafficPolicy\.loadBalancer: only one of simple or consistentHash may be set; found simple and consistentHash/);
    assert.deepEqual(f.related?.[0].range, rangeOf(text, 'simple'));
  });

  it('nested oneOf (allOf) in consistentHash', () => {
    const text = DR('  host: a\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        useSourceIp: true\n        httpHeaderName: x-user\n');
    const f = only(schemaFindings(text), 'schema-one-of');
    assert.deepEqual(f.range, rangeOf(text, 'httpHeaderName'));
    assert.match(f.message, /found useSourceIp and httpHeaderName/);
  });

  it('list-type map: duplicate keys are reported on the duplicate item', () => {
    const text = SE('  hosts: [a.com]\n  ports:\n  - number: 80\n    name: a\n  - number: 81\n    name: a\n');
    const f = only(schemaFindings(text), 'schema-duplicate-item');
    assert.deepEqual(f.range, rangeOf(text, 'number: 81'));
    assert.match(f.message, /spec\.ports\[1\]: duplicate entry for name="a"/);
  });
});

describe('CEL x-kubernetes-validations', () => {
  it('RequestAuthentication jwksUri without a scheme', () => {
    const text = RA('  jwtRules:\n  - issuer: a\n    jwksUri: example.com/jwks.json\n');
    const f = only(schemaFindings(text), 'schema-cel');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, rangeOf(text, 'example.com/jwks.json'));
    assert.match(f.message, /^spec\.jwtRules\[0\]\.jwksUri: url must have scheme http:\/\/ or https:\/\//);
    assert.deepEqual(schemaFindings(text.replace('example.com/', 'https://example.com/')), []);
  });

  it('an evaluation error rejects too, with the rule message and the error', () => {
    const text = RA('  jwtRules:\n  - issuer: a\n    jwksUri: "https://{YOUR_DOMAIN}/jwks.json"\n');
    const f = only(schemaFindings(text), 'schema-cel');
    assert.match(f.message, /url must have scheme .*could not be evaluated: .*invalid character "\{" in host name/);
  });

  it('AuthorizationPolicy selector and targetRef together', () => {
    const text = AP('  selector:\n    matchLabels: {app: a}\n  targetRef:\n    kind: Gateway\n    group: gateway.networking.k8s.io\n    name: gw\n');
    const f = only(schemaFindings(text), 'schema-cel');
    assert.deepEqual(f.range, rangeOf(text, 'spec'));
    assert.match(f.message, /^spec: .*only one of targetRefs? or selector/i);
  });

  it('port out of range', () => {
    const text = SE('  hosts: [a.com]\n  ports:\n  - number: 70000\n    name: http\n');
    const f = only(schemaFindings(text), 'schema-cel');
    assert.deepEqual(f.range, rangeOf(text, '70000'));
    assert.match(f.message, /spec\.ports\[0\]\.number: port must be between 1-65535/);
  });

  it('defaults are applied before CEL; messageExpression and fieldPath are honoured', () => {
    const schema: JSONSchema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { mode: { type: 'string', default: 'OFF' }, port: { type: 'integer' } },
          'x-kubernetes-validations': [
            { rule: "self.mode == 'ON'", messageExpression: "'mode is ' + self.mode", fieldPath: '.port' },
          ],
        },
      },
    };
    const text = 'spec:\n  port: 8\n';
    const doc = parseDoc(text);
    const st: WalkState = { doc, out: [], typeErrors: 0, celTasks: [] };
    walkValue(st, schema, doc.data, [], '');
    runCelTasks(st);
    assert.equal(st.out.length, 1);
    assert.equal(st.out[0].message, 'spec: mode is OFF.');
    assert.deepEqual(st.out[0].range, rangeOf(text, '8'));
  });
});

describe('through the full pipeline', () => {
  it('a clean document has no schema findings; findings are shifted to file lines', () => {
    const text = `${AP('  action: ALLOW\n')}---\n${AP('  acton: ALLOW\n')}`;
    const model = new FileModel();
    model.update(text);
    const unknown = model.findings().filter((f) => f.code === 'schema-unknown-field');
    assert.equal(unknown.length, 1);
    assert.deepEqual(unknown[0].range, rangeOf(text, 'acton'));
    assert.equal(unknown[0].fixes?.[0].edits[0].range.start.line, unknown[0].range.start.line);
  });

  it('v1alpha3 and v1beta1 networking documents validate against the shared schema', () => {
    for (const v of ['v1alpha3', 'v1beta1', 'v1']) {
      const text = `apiVersion: networking.istio.io/${v}\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n`;
      assert.deepEqual(schemaFindings(text), [], v);
    }
  });
});
