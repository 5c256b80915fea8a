import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { complete } from '../../engine/src/authoring/complete';
import { describeAt } from '../../engine/src/authoring/describe';
import { Workspace } from '../../engine/src/workspace/workspace';

/** `|` marks the cursor. */
function at(textWithCursor: string): [string, number, number] {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const before = text.slice(0, offset).split('\n');
  return [text, before.length - 1, before[before.length - 1].length];
}

const AP = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\n  namespace: shop\n';

describe('completion', () => {
  it('offers the keys of the mapping at the cursor, required first, present keys omitted, with a value skeleton', () => {
    const [text, line, ch] = at('apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  servers:\n  - hosts: [a.example.com]\n    |\n');
    const items = complete(text, line, ch);
    const labels = items.map((i) => i.label);
    assert.ok(!labels.includes('hosts'), 'hosts is already present');
    assert.ok(labels.includes('port') && labels.includes('tls'));
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.equal(sorted[0].label, 'port', 'required first');
    assert.equal(items.find((i) => i.label === 'tls')?.insertText, 'tls:\n  $0');
  });

  it('completes a key prefix deep in a list item, replacing what was typed', () => {
    const [text, line, ch] = at('apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: a\nspec:\n  jwtRules:\n  - issuer: x\n    jwk|\n');
    const item = complete(text, line, ch).find((i) => i.label === 'jwksUri');
    assert.ok(item);
    assert.deepEqual(item.replace, { line: 7, start: 4, end: 7 });
  });

  it('offers enum values with an enum skeleton for the key', () => {
    const [text, line, ch] = at(`${AP}spec:\n  action: |\n`);
    assert.deepEqual(complete(text, line, ch).map((i) => i.label), ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);
    const [t2, l2, c2] = at(`${AP}spec:\n  ac|\n`);
    assert.equal(complete(t2, l2, c2).find((i) => i.label === 'action')?.insertText, 'action: ${1|ALLOW,DENY,AUDIT,CUSTOM|}');
  });

  it('offers the when keys, and claim names seen in the workspace after request.auth.claims[', () => {
    const [text, line, ch] = at(`${AP}spec:\n  rules:\n  - when:\n    - key: |\n`);
    const keys = complete(text, line, ch).map((i) => i.label);
    assert.ok(keys.includes('request.auth.claims[]') && keys.includes('source.namespace') && keys.includes('request.headers[]'), keys.join());
    const ws = new Workspace();
    ws.update('other.yaml', `${AP.replace('name: a', 'name: b')}spec:\n  rules:\n  - when:\n    - key: request.auth.claims[tenant_id]\n      values: [x]\n`);
    const [t2, l2, c2] = at(`${AP}spec:\n  rules:\n  - when:\n    - key: request.auth.claims[|\n`);
    const claims = complete(t2, l2, c2, { index: ws.index }).map((i) => i.label);
    assert.ok(claims.includes('request.auth.claims[tenant_id]') && claims.includes('request.auth.claims[groups]'), claims.join());
  });

  it('offers gateway names from another file: name in the same namespace, ns/name elsewhere, and mesh', () => {
    const ws = new Workspace();
    ws.update('gw.yaml', 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\n  namespace: shop\nspec: {}\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: edge\n  namespace: istio-system\nspec: {}\n');
    const [text, line, ch] = at('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: v\n  namespace: shop\nspec:\n  gateways:\n  - |\n');
    assert.deepEqual(complete(text, line, ch, { index: ws.index }).map((i) => i.label), ['mesh', 'web', 'istio-system/edge']);
  });

  it('offers apiVersion/kind pairs in an empty document, and served versions for a kind', () => {
    const pairs = complete('', 0, 0);
    const ra = pairs.find((p) => p.label.startsWith('RequestAuthentication'));
    assert.ok(ra);
    assert.match(ra.insertText, /^apiVersion: security\.istio\.io\/v1\nkind: RequestAuthentication\n/);
    // Gateway is a kind of both Istio and the Gateway API: both groups' served versions.
    const [text, line, ch] = at('apiVersion: |\nkind: Gateway\n');
    assert.deepEqual(complete(text, line, ch).map((i) => i.label).sort(), [
      'gateway.networking.k8s.io/v1',
      'gateway.networking.k8s.io/v1beta1',
      'networking.istio.io/v1',
      'networking.istio.io/v1alpha3',
      'networking.istio.io/v1beta1',
    ]);
  });

  it('offers the Gateway API kinds in an empty document, at their preferred version, cluster-scoped ones without a namespace', () => {
    const pairs = complete('', 0, 0);
    const route = pairs.find((p) => p.label === 'HTTPRoute (gateway.networking.k8s.io/v1)');
    assert.ok(route, pairs.map((p) => p.label).join(', '));
    assert.match(route.insertText, /^apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: HTTPRoute\nmetadata:\n  name: \$\{1:name\}\n  namespace: /);
    // ReferenceGrant stores v1beta1 but v1 is served and preferred.
    assert.ok(pairs.some((p) => p.label === 'ReferenceGrant (gateway.networking.k8s.io/v1)'));
    const gc = pairs.find((p) => p.label.startsWith('GatewayClass'));
    assert.ok(gc && !gc.insertText.includes('namespace'), gc?.insertText);
    // Istio's kinds stay first.
    const sorted = [...pairs].sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.ok(sorted.findIndex((p) => p.label.startsWith('HTTPRoute')) > sorted.findIndex((p) => p.label.startsWith('AuthorizationPolicy')));
  });

  it('offers the served versions of a Gateway API kind, and its kinds for its group', () => {
    const [text, line, ch] = at('apiVersion: |\nkind: HTTPRoute\n');
    assert.deepEqual(complete(text, line, ch).map((i) => `${i.label} ${i.detail}`), ['gateway.networking.k8s.io/v1 current', 'gateway.networking.k8s.io/v1beta1 served']);
    const [t2, l2, c2] = at('apiVersion: gateway.networking.k8s.io/v1\nkind: |\n');
    assert.deepEqual(complete(t2, l2, c2).map((i) => i.label).sort(), ['BackendTLSPolicy', 'GRPCRoute', 'Gateway', 'GatewayClass', 'HTTPRoute', 'ListenerSet', 'ReferenceGrant', 'TLSRoute']);
  });

  it('offers HTTPRoute keys from the Gateway API CRD: spec, a rule, a backendRef', () => {
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n';
    const [t1, l1, c1] = at(`${route}  |\n`);
    const spec = complete(t1, l1, c1).map((i) => i.label);
    for (const k of ['parentRefs', 'hostnames', 'rules']) assert.ok(spec.includes(k), `${k} in ${spec.join(', ')}`);
    assert.ok(!spec.includes('servers'), 'no Istio Gateway keys');
    const [t2, l2, c2] = at(`${route}  rules:\n  - |\n`);
    assert.deepEqual(complete(t2, l2, c2).map((i) => i.label).sort(), ['backendRefs', 'filters', 'matches', 'name', 'timeouts']);
    const [t3, l3, c3] = at(`${route}  rules:\n  - backendRefs:\n    - name: reviews\n      |\n`);
    const backend = complete(t3, l3, c3);
    assert.ok(backend.some((i) => i.label === 'port' && i.detail === 'integer'), backend.map((i) => `${i.label}:${i.detail}`).join(', '));
    const [t4, l4, c4] = at(`${route}  rules:\n  - matches:\n    - path:\n        type: |\n`);
    assert.deepEqual(complete(t4, l4, c4).map((i) => i.label), ['Exact', 'PathPrefix', 'RegularExpression']);
  });

  it('offers the Gateway API Gateways of the workspace for a parentRef or targetRef name (not for a Service target)', () => {
    const ws = new Workspace();
    const gw = (name: string, ns: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - {name: http, port: 80, protocol: HTTP}\n`;
    ws.update('gws.yaml', `${gw('edge', 'infra')}---\n${gw('shop-gw', 'shop')}---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: istio-gw\n  namespace: shop\nspec:\n  servers: []\n`);
    const [t1, l1, c1] = at('apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs:\n  - name: |\n');
    assert.deepEqual(complete(t1, l1, c1, { index: ws.index }).map((i) => `${i.label}: ${i.detail}`), ['shop-gw: Gateway shop/shop-gw', 'edge: Gateway infra/edge (set namespace: infra)']);
    const policy = (target: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  targetRefs:\n${target}`;
    const [t2, l2, c2] = at(policy('  - kind: Gateway\n    group: gateway.networking.k8s.io\n    name: |\n'));
    assert.deepEqual(complete(t2, l2, c2, { index: ws.index }).map((i) => i.label), ['shop-gw'], 'a policy targets its own namespace only');
    const [t3, l3, c3] = at(policy('  - kind: Service\n    name: |\n'));
    assert.deepEqual(complete(t3, l3, c3, { index: ws.index }), []);
  });

  it('the Gateway API Gateway completes listeners, not Istio servers', () => {
    const [text, line, ch] = at('apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  |\n');
    const labels = complete(text, line, ch).map((i) => i.label);
    assert.ok(labels.includes('listeners') && labels.includes('gatewayClassName'), labels.join(', '));
    assert.ok(!labels.includes('servers') && !labels.includes('selector'));
  });
});

describe('hover', () => {
  const doc = `${AP}spec:\n  action: DENY\n  rules:\n  - when:\n    - key: request.auth.claims[groups]\n      values: [admins]\n`;
  it('documents a field from the CRD with its type, values and a link to istio.io', () => {
    const md = describeAt(doc, 6, 4);
    assert.ok(md);
    assert.match(md, /^\*\*action\*\* · `string`/);
    assert.match(md, /Allowed values: `ALLOW`, `DENY`, `AUDIT`, `CUSTOM`/);
    assert.match(md, /istio\.io\/latest\/docs\/reference\/config\/security\/authorization-policy\//);
  });

  it('highlights the enum value under the cursor', () => {
    assert.match(describeAt(doc, 6, 12) ?? '', /\*\*`DENY`\*\*/);
  });

  it('explains a when key and its value format', () => {
    const md = describeAt(doc, 9, 16);
    assert.match(md ?? '', /request\.auth\.claims\[groups\]\*\* · AuthorizationPolicy condition key/);
  });

  it('documents a Gateway API field from its CRD and links to the Gateway API reference', () => {
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  parentRefs:\n  - name: gw\n    sectionName: https\n';
    const md = describeAt(route, 7, 6);
    assert.match(md ?? '', /^\*\*sectionName\*\* · `string`/);
    assert.match(md ?? '', /SectionName is the name of a section within the target resource/);
    assert.match(md ?? '', /\[HTTPRoute reference on gateway-api\.sigs\.k8s\.io\]\(https:\/\/gateway-api\.sigs\.k8s\.io\/reference\/1\.5\/spec\/#httproute\)/);
    // The Gateway API's Gateway is not Istio's: no istio.io link, its own fields.
    const gw = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  gatewayClassName: istio\n';
    const gmd = describeAt(gw, 5, 4) ?? '';
    assert.match(gmd, /^\*\*gatewayClassName\*\* · `string` · required/);
    assert.doesNotMatch(gmd, /istio\.io\/latest/);
  });

  it('says nothing outside Istio documents', () => {
    assert.equal(describeAt('apiVersion: v1\nkind: ConfigMap\ndata: {}\n', 2, 1), undefined);
  });
});
