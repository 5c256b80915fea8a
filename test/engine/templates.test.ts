/**
 * Helm chart templates checked without rendering, and tutorial placeholders: through the real
 * per-document pipeline, through the AnalysisHost (what the CLI and the server publish), on
 * self-written fixtures.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost, type Finding } from '../../engine/src/host/index';
import { checkJwksReachability, JwksCache } from '../../engine/src/jwks';
import { parseDoc } from '../../engine/src/model/parse';
import { maskTemplate } from '../../engine/src/templates/mask';
import { ROOT } from '../helpers/build';
import { HAS_SHARED_REALWORLD, readRealworld, realworldYamlFiles, skippedWithoutUnlicensed, UNLICENSED_FOLDERS } from '../helpers/realworld';

const CHART = join(ROOT, 'test', 'fixtures', 'helm', 'authz-chart');

function findingsOf(text: string): Finding[] {
  const host = new AnalysisHost({ settings: { defaultNamespace: 'default', rootNamespace: 'istio-system', network: { offline: true } } });
  host.setFile('t.yaml', text);
  const fs = host.diagnostics('t.yaml');
  host.dispose();
  return fs;
}

function show(fs: readonly Finding[]): string {
  return fs.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`).join('\n');
}

/** 1-based line:column of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): string {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const pos = (f: Finding): string => `${f.range.start.line + 1}:${f.range.start.character + 1}`;

describe('Helm chart templates without rendering', () => {
  const authz = readFileSync(join(CHART, 'templates', 'authz.yaml'), 'utf8');
  const reqauth = readFileSync(join(CHART, 'templates', 'reqauth.yaml'), 'utf8');

  it('masking keeps the length and every line break, so positions are the template\'s', () => {
    for (const text of [authz, reqauth, 'a: {{ .Values.x }}\r\nb: "{{ include "y" . }}"\n{{- /* multi\nline */}}\nc: 1\n']) {
      const m = maskTemplate(text);
      assert.ok(m);
      assert.equal(m.text.length, text.length);
      assert.deepEqual([...m.text.matchAll(/\r?\n/g)].map((x) => x.index), [...text.matchAll(/\r?\n/g)].map((x) => x.index));
    }
  });

  it('reports no YAML error caused by actions, and the literal `action: Allow` error inside the template', () => {
    const fs = findingsOf(authz);
    assert.deepEqual(fs.filter((f) => f.code.startsWith('yaml-')), [], show(fs));
    const enumErr = fs.find((f) => f.code === 'schema-enum');
    assert.ok(enumErr, show(fs));
    assert.equal(pos(enumErr), at(authz, 'Allow'));
    assert.match(enumErr.message, /spec\.action: "Allow" is not a supported value.*Did you mean "ALLOW"/);
    // Nothing else is an error or a warning: the selector's labels come from toYaml, the name from include.
    assert.deepEqual(fs.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code), ['schema-enum'], show(fs));
  });

  it('says once per file, as information, what was not checked', () => {
    const fs = findingsOf(reqauth);
    const notices = fs.filter((f) => f.code === 'helm-template');
    assert.equal(notices.length, 1, show(fs));
    assert.equal(notices[0].severity, 'information');
    assert.equal(pos(notices[0]), at(reqauth, '{{'));
    assert.match(notices[0].message, /taken as placeholders.*include\/toYaml block.*1 line of else branches.*istio-sec check --helm/);
    assert.deepEqual(fs.filter((f) => f.severity !== 'information'), [], show(fs));
  });

  it('a value action gets a placeholder of the field\'s type: CEL still runs on the rest of the document', () => {
    const text = [
      'apiVersion: networking.istio.io/v1',
      'kind: ServiceEntry',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  hosts: [api.example.com]',
      '  ports:',
      '  - number: {{ .Values.port }}',
      '    name: http',
      '  - number: 70000',
      '    name: http2',
      '',
    ].join('\n');
    const fs = findingsOf(text);
    assert.deepEqual(fs.filter((f) => f.code === 'schema-type'), [], show(fs));
    const cel = fs.filter((f) => f.code === 'schema-cel');
    assert.equal(cel.length, 1, show(fs));
    assert.equal(pos(cel[0]), at(text, '70000'));
  });

  it('checks the first branch of a conditional only (no duplicate key, an error in the else branch is not reported)', () => {
    const text = [
      'apiVersion: security.istio.io/v1',
      'kind: AuthorizationPolicy',
      'metadata:',
      '  name: deny',
      'spec:',
      '  {{- if .Values.deny }}',
      '  action: DENY',
      '  {{- else }}',
      '  action: Nope',
      '  {{- end }}',
      '  rules:',
      '  - {}',
      '',
    ].join('\n');
    const fs = findingsOf(text);
    assert.deepEqual(fs.filter((f) => f.severity === 'error'), [], show(fs));
    assert.match(fs.find((f) => f.code === 'helm-template')?.message ?? '', /1 line of else branches/);
  });

  it('a toYaml block makes its mapping opaque: no required-field or empty-list finding from what it may produce', () => {
    const text = [
      'apiVersion: security.istio.io/v1',
      'kind: RequestAuthentication',
      'metadata:',
      '  name: jwt',
      'spec:',
      '  jwtRules:',
      '  {{- toYaml .Values.jwtRules | nindent 2 }}',
      '  selector:',
      '    matchLabels:',
      '      {{- include "labels" . | nindent 6 }}',
      '',
    ].join('\n');
    const fs = findingsOf(text);
    assert.deepEqual(fs.filter((f) => f.severity !== 'information'), [], show(fs));
  });

  it('the notice follows edits that add and remove template documents, as a fresh analysis gives it', () => {
    const plain = VS('[web.example.com]');
    const host = new AnalysisHost({ settings: { defaultNamespace: 'default', rootNamespace: 'istio-system', network: { offline: true } } });
    const notices = (): string[] => host.diagnostics('f.yaml').filter((f) => f.code === 'helm-template').map((f) => `${pos(f)} ${f.message}`);
    const fresh = (text: string): string[] => findingsOf(text).filter((f) => f.code === 'helm-template').map((f) => `${pos(f)} ${f.message}`);
    let text = `${plain}---\n${plain}`;
    host.setFile('f.yaml', text, 1);
    assert.deepEqual(notices(), []);
    const edits: Array<(t: string) => [number, number, string]> = [
      (t) => [t.length, t.length, `---\n${reqauth}`], // a template document at the end
      (t) => [0, 0, `${authz}---\n`], // another one first: the notice moves to it and counts both
      (t) => [t.indexOf('{{'), t.indexOf('}}', t.indexOf('{{')) + 2, 'x'], // one action fewer
      (t) => [0, t.indexOf('---\n') + 4, ''], // the first template leaves
    ];
    let version = 1;
    for (const edit of edits) {
      const [start, end, newText] = edit(text);
      text = text.slice(0, start) + newText + text.slice(end);
      host.applyChanges('f.yaml', version, version + 1, [{ start, end, newText }], text);
      version++;
      assert.equal(host.status('f.yaml').update, 'incremental');
      assert.deepEqual(notices(), fresh(text));
      assert.equal(notices().length, 1);
    }
    host.dispose();
  });

  it('does not index a resource whose name or namespace is templated (no default/undefined)', () => {
    const host = new AnalysisHost();
    for (const name of ['authz.yaml', 'reqauth.yaml']) host.setFile(join(CHART, 'templates', name), readFileSync(join(CHART, 'templates', name), 'utf8'));
    const names = host.workspaceSymbols('').map((r) => `${r.kind} ${r.namespace}/${r.name}`);
    assert.deepEqual(names, ['ServiceEntry default/issuer']);
    host.dispose();
  });

  it('leaves a file without Helm actions alone (a `{{ your_host }}` placeholder is not Helm)', () => {
    assert.equal(maskTemplate('hosts:\n- {{ your_ui_hostname }}\n'), undefined);
    assert.equal(maskTemplate('# {{ .Values.x }} in a comment\na: 1\n'), undefined);
  });
});

const VS = (hosts: string): string =>
  ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: web', 'spec:', `  hosts: ${hosts}`, '  http:', '  - route:', '    - destination:', '        host: web', ''].join('\n');

const RA = (issuer: string, jwksUri: string): string =>
  ['apiVersion: security.istio.io/v1', 'kind: RequestAuthentication', 'metadata:', '  name: jwt', 'spec:', '  jwtRules:', `  - issuer: ${issuer}`, `    jwksUri: ${jwksUri}`, ''].join('\n');

describe('placeholders', () => {
  it('an unquoted {YOUR_DOMAIN} is one placeholder error (YAML reads a mapping) instead of a type error', () => {
    const text = VS('[{YOUR_DOMAIN}]');
    const fs = findingsOf(text);
    assert.deepEqual(fs.map((f) => `${pos(f)} ${f.severity} ${f.code}`), [`${at(text, '{YOUR')} error placeholder-value`], show(fs));
    assert.match(fs[0].message, /^spec\.hosts\[0\]: "\{YOUR_DOMAIN\}" is a placeholder; replace it .* Kubernetes rejects it as written: unquoted braces are a YAML mapping/);
  });

  it('a quoted placeholder the CRD rejects is an error naming the placeholder, without the CEL internals', () => {
    const text = RA('"https://{YOUR_DOMAIN}/"', '"https://{YOUR_DOMAIN}/.well-known/jwks.json"');
    const fs = findingsOf(text).filter((f) => f.severity !== 'information' || f.code === 'placeholder-value');
    const byCode = fs.map((f) => `${pos(f)} ${f.severity} ${f.code}`);
    assert.deepEqual(byCode, [`${at(text, '"https://{YOUR_DOMAIN}/"')} information placeholder-value`, `${at(text, '"https://{YOUR_DOMAIN}/.well')} error placeholder-value`], show(fs));
    assert.match(fs[1].message, /As written it would be rejected by a validation rule of the CRD\.$/);
    assert.doesNotMatch(show(fs), /schema-cel|invalid character/);
  });

  it('a quoted placeholder that is a valid string is information', () => {
    for (const value of ['"<your_cluster_url>"', '"${ISSUER}"', '"$ISSUER_URL"', 'YOUR_ISSUER', 'REPLACE_ME']) {
      const fs = findingsOf(RA(value, 'https://keys.example.com/jwks.json'));
      const p = fs.filter((f) => f.code === 'placeholder-value');
      assert.equal(p.length, 1, `${value}\n${show(fs)}`);
      assert.equal(p[0].severity, 'information', value);
    }
  });

  it('a webhook rejection (invalid host) makes it an error; an unquoted {{ name }} too', () => {
    for (const hosts of ['["<your_cluster_url.gcp.mongodb.net>"]', '\n  - {{ your_ui_hostname }}']) {
      const fs = findingsOf(VS(hosts));
      assert.deepEqual(fs.map((f) => `${f.severity} ${f.code}`), ['error placeholder-value'], show(fs));
    }
  });

  it('ordinary values are not placeholders (path templates, regexes, Envoy formats)', () => {
    const text = [
      'apiVersion: security.istio.io/v1',
      'kind: AuthorizationPolicy',
      'metadata:',
      '  name: ok',
      'spec:',
      '  rules:',
      '  - to:',
      '    - operation:',
      '        paths: ["/api/{*}", "/files/{**}", "/a$"]',
      '    when:',
      '    - key: request.headers[x-env]',
      '      values: ["prod", "your"]',
      '',
    ].join('\n');
    assert.deepEqual(findingsOf(text).filter((f) => f.code === 'placeholder-value'), []);
  });

  it('the JWKS check never fetches a placeholder or templated URL', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('{"keys":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const uri of [`"http://127.0.0.1:${port}/\${JWKS_PATH}"`, `"http://127.0.0.1:${port}/{{ .Values.path }}"`, `"http://127.0.0.1:${port}/YOUR_TENANT/jwks"`]) {
        const rep = await checkJwksReachability(parseDoc(RA('issuer-a', uri)), { env: {}, cache: new JwksCache(), timeoutMs: 3000, compareDiscovery: false });
        assert.deepEqual(rep.checks, [], uri);
      }
      // The same server with a literal path is fetched: the loopback server is reachable.
      await checkJwksReachability(parseDoc(RA('issuer-a', `"http://127.0.0.1:${port}/jwks"`)), { env: {}, cache: new JwksCache(), timeoutMs: 3000, compareDiscovery: false });
      assert.ok(requests >= 1);
      assert.equal(requests, 1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('placeholders in the real-world tutorial files', () => {
  const files = realworldYamlFiles().filter((f) => /\{YOUR_|\{\{ *your_|<your_/.test(readRealworld(f)));

  it('finds the Auth0, storefront and observe-backend placeholder files', () => {
    const expected = ['rinormaloku-istio-auth0/', 'auth0-blog-istio-auth0-integration/', 'garystafford-storefront-demo/', 'garystafford-k8s-istio-observe-backend/'];
    for (const prefix of expected.filter((p) => HAS_SHARED_REALWORLD || !UNLICENSED_FOLDERS.includes(p.slice(0, -1)))) {
      assert.ok(files.some((n) => n.startsWith(prefix)), `${prefix}: ${files.join(', ')}`);
    }
  });
  skippedWithoutUnlicensed('the Auth0 tutorials\' {YOUR_DOMAIN} placeholder files', 'their files');

  for (const file of files) {
    it(`${file}: placeholder findings, no schema-type or schema-cel error on a placeholder`, () => {
      const fs = findingsOf(readRealworld(file));
      const placeholders = fs.filter((f) => f.code === 'placeholder-value');
      assert.ok(placeholders.length > 0, show(fs));
      const lines = new Set(placeholders.map((f) => f.range.start.line));
      const cascade = fs.filter((f) => (f.code === 'schema-type' || f.code === 'schema-cel') && lines.has(f.range.start.line));
      assert.deepEqual(cascade, [], show(fs));
    });
  }
});
