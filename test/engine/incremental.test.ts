import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisHost, type Finding } from '../../engine/src/host/index';

/**
 * The analysis host updated edit by edit must give exactly what a fresh host gives for the same
 * texts: per-document findings, cross-resource findings (every rule, related locations included),
 * navigation. Edits are random splices of fragments that change names, namespaces, hosts,
 * selectors, issuers and document boundaries, over files that reference each other.
 */

const NS = ['shop', 'pay', 'istio-system'];
const FRAGMENTS = [
  'x',
  '',
  '\n',
  '---\n',
  'shop',
  'pay',
  'istio-system',
  ' # note\n',
  'gw-a',
  'gw-b',
  'reviews',
  'v2',
  'https://idp.example.com',
  'https://other.example.com/',
  '\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw-b\n  namespace: shop\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*.example.com"]\n',
];

function gateway(name: string, ns: string, host: string): string {
  return `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    tls:\n      mode: SIMPLE\n      credentialName: cert-${name}\n    hosts:\n    - "${host}"\n`;
}

function virtualService(name: string, ns: string, host: string, gw: string): string {
  return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  hosts:\n  - ${host}\n  gateways:\n  - ${gw}\n  http:\n  - match:\n    - headers:\n        "@request.auth.claims.group":\n          exact: admin\n    route:\n    - destination:\n        host: reviews\n        subset: v1\n`;
}

function destinationRule(ns: string): string {
  return `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: ${ns}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n`;
}

function requestAuth(name: string, ns: string, issuer: string): string {
  return `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: reviews\n  jwtRules:\n  - issuer: ${issuer}\n`;
}

function policy(name: string, ns: string, principal: string): string {
  return `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ratings\n  rules:\n  - from:\n    - source:\n        requestPrincipals: ["${principal}"]\n`;
}

function initialFiles(): Record<string, string> {
  return {
    'gateways.yaml': [gateway('gw-a', 'shop', '*.example.com'), gateway('gw-b', 'shop', 'shop.example.com'), gateway('gw-c', 'pay', 'shop.example.com')].join('---\n'),
    'routes.yaml': [virtualService('vs-1', 'shop', 'shop.example.com', 'gw-a'), virtualService('vs-2', 'shop', 'pay.example.com', 'shop/gw-b'), virtualService('vs-3', 'pay', 'reviews', 'mesh'), destinationRule('shop')].join('---\n'),
    'auth.yaml': [requestAuth('jwt', 'shop', 'https://idp.example.com'), policy('require', 'shop', 'https://idp.example.com/*'), policy('other', 'pay', 'https://other.example.com/*')].join('---\n'),
    'root.yaml': [requestAuth('mesh-jwt', 'istio-system', 'https://other.example.com/'), virtualService('vs-4', 'pay', 'reviews', 'mesh')].join('---\n'),
  };
}

/** Findings and navigation of every file, as comparable data. */
function snapshot(host: AnalysisHost, files: Record<string, string>): unknown {
  const out: Record<string, unknown> = {};
  for (const [file, text] of Object.entries(files)) {
    const findings = host.diagnostics(file).map((f: Finding) => ({ code: f.code, severity: f.severity, message: f.message, range: f.range, related: f.related, fixes: f.fixes }));
    const lines = text.split('\n');
    const nav = [0, Math.floor(lines.length / 3), Math.floor(lines.length / 2), lines.length - 2].flatMap((line) => {
      const pos = { line: Math.max(0, line), character: 4 };
      return [host.definition(file, pos), host.references(file, pos, true)];
    });
    const { istioDocuments, documents } = host.status(file);
    out[file] = { findings, nav, lenses: host.lenses(file), istioDocuments, documents };
  }
  return out;
}

function fresh(files: Record<string, string>): AnalysisHost {
  const host = new AnalysisHost();
  for (const [file, text] of Object.entries(files)) host.setFile(file, text);
  return host;
}

describe('AnalysisHost: incremental equals fresh', () => {
  it('gives the findings and navigation of a fresh analysis after each of 400 random edits across 4 files', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const files = initialFiles();
    const host = new AnalysisHost();
    const versions: Record<string, number> = {};
    for (const [file, text] of Object.entries(files)) {
      versions[file] = 1;
      host.setFile(file, text, 1);
    }
    let incremental = 0;
    let crossFindings = 0;
    const names = Object.keys(files);
    for (let step = 0; step < 400; step++) {
      const file = names[Math.floor(rnd() * names.length)];
      const text = files[file];
      // Edit near a value most of the time (names, hosts, namespaces), anywhere otherwise.
      const anchors = [...text.matchAll(/(name|namespace|host|issuer|- |gateways:\n {2}- )[: ]*/g)].map((m) => m.index! + m[0].length);
      const start = rnd() < 0.8 && anchors.length ? anchors[Math.floor(rnd() * anchors.length)] : Math.floor(rnd() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(rnd() * 6));
      const insert = FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)];
      const next = text.slice(0, start) + insert + text.slice(end);
      const stats = host.applyChanges(file, versions[file], versions[file] + 1, [{ start, end, newText: insert }], next);
      versions[file]++;
      files[file] = next;
      if (stats.incremental) incremental++;
      if (step % 3 === 0) host.takeChangedFiles();
      const want = snapshot(fresh(files), files);
      assert.deepEqual(snapshot(host, files), want, `step ${step}: ${file} [${start},${end}) -> ${JSON.stringify(insert)}`);
      crossFindings += Object.values(want as Record<string, { findings: Finding[] }>).flatMap((f) => f.findings).filter((f) => f.code.startsWith('xref-')).length;
    }
    assert.ok(incremental > 350, `edits took the incremental path (${incremental}/400)`);
    assert.ok(crossFindings > 400, `the scenario exercises cross-resource findings (${crossFindings} seen)`);
  });

  it('reports, after an edit, exactly the other files whose findings changed', () => {
    const files = initialFiles();
    const host = fresh(files);
    for (const f of Object.keys(files)) host.diagnostics(f);
    host.takeChangedFiles();
    const before = Object.fromEntries(Object.keys(files).map((f) => [f, JSON.stringify(host.diagnostics(f))]));
    // The RequestAuthentication's issuer changes: the policy in auth.yaml (same file) and nothing else.
    const next = files['gateways.yaml'].replace('name: gw-b', 'name: gw-z');
    host.setFile('gateways.yaml', next);
    const changed = new Set(host.takeChangedFiles());
    files['gateways.yaml'] = next;
    for (const f of Object.keys(files)) {
      if (f === 'gateways.yaml') continue;
      const differs = JSON.stringify(host.diagnostics(f)) !== before[f];
      if (differs) assert.ok(changed.has(f), `${f} changed but was not reported`);
    }
    assert.ok(changed.has('routes.yaml'), 'vs-2 names gw-b: its file is reported');
  });
});
