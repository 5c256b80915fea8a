import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileModel } from '../../engine/src/model/fileModel';
import { ROOT } from '../helpers/build';
import { choicesOf, expandSnippet } from '../helpers/snippets';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const snippets = JSON.parse(readFileSync(join(ROOT, 'snippets', 'istio.json'), 'utf8')) as Record<string, Snippet>;

function errorsOf(text: string): string[] {
  const model = new FileModel();
  model.update(text);
  return model
    .findings()
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.range.start.line + 1}: ${f.severity} ${f.code} ${f.message}`);
}

describe('snippets', () => {
  it('cover every kind the issue lists, with istio- prefixes', () => {
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    assert.ok(prefixes.every((p) => p.startsWith('istio-')));
    for (const p of ['istio-gwapi-gateway', 'istio-gwapi-httproute', 'istio-waypoint', 'istio-referencegrant', 'istio-reqauth-gateway', 'istio-authz-require-jwt-gateway', 'istio-authz-waypoint-service', 'istio-scenario-gateway-api-jwt', 'istio-gateway-https', 'istio-vs-canary', 'istio-reqauth-auth0', 'istio-reqauth-okta', 'istio-reqauth-keycloak', 'istio-reqauth-google', 'istio-reqauth-azure', 'istio-authz-require-jwt', 'istio-authz-custom', 'istio-peerauth-mesh', 'istio-dr-istio-mutual', 'istio-scenario-jwt', 'istio-scenario-ingress-tls']) {
      assert.ok(prefixes.includes(p), p);
    }
    assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
  });

  for (const [name, s] of Object.entries(snippets)) {
    it(`${s.prefix} expands to a manifest with no error or warning, for every choice`, () => {
      const body = s.body.join('\n');
      const choices = choicesOf(body);
      const variants = [{}].concat([...choices].flatMap(([n, opts]) => opts.map((_o, i) => ({ [n]: i }))));
      for (const pick of variants) {
        const text = expandSnippet(body, pick);
        assert.doesNotMatch(text, /\$\{|\$\d/, `${name}: unexpanded placeholder`);
        assert.deepEqual(errorsOf(text), [], `${name} with ${JSON.stringify(pick)}:\n${text}`);
      }
    });
  }

  it('the Gateway API scenario attaches both policies to its Gateway with targetRefs, from the Gateway\'s namespace', () => {
    const scenario = Object.values(snippets).find((s) => s.prefix === 'istio-scenario-gateway-api-jwt')!;
    const docs = expandSnippet(scenario.body.join('\n')).split('\n---\n');
    assert.deepEqual(docs.map((d) => /^kind: (\w+)$/m.exec(d)?.[1]), ['Gateway', 'HTTPRoute', 'RequestAuthentication', 'AuthorizationPolicy']);
    for (const d of docs.slice(2)) {
      assert.match(d, /targetRefs:\n {2}- group: gateway\.networking\.k8s\.io\n {4}kind: Gateway\n {4}name: my-gateway\n/);
      assert.match(d, /namespace: default\n/);
    }
  });

  it('the Auth0 template keeps the trailing slash of Auth0 issuers', () => {
    const auth0 = Object.values(snippets).find((s) => s.prefix === 'istio-reqauth-auth0')!;
    assert.match(expandSnippet(auth0.body.join('\n')), /issuer: https:\/\/[^ ]+\.auth0\.com\/\n/);
  });
});
