import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../engine/src/host/index';

const gw = (name: string, host: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: web
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls:
      mode: SIMPLE
      credentialName: ${extra || `${name}-cert`}
    hosts:
    - ${host}
`;

function codes(ws: AnalysisHost, file: string, code: string) {
  return ws.diagnostics(file).filter((f) => f.code === code);
}

describe('cross-resource: gateways', () => {
  it('IST0145: two Gateways with one selector claim the same port and host; silent for different hosts', () => {
    const ws = new AnalysisHost();
    ws.setFile('a.yaml', gw('a', 'shop.example.com'));
    ws.setFile('b.yaml', gw('b', 'shop.example.com'));
    const [f] = codes(ws, 'a.yaml', 'xref-gateway-conflict');
    assert.equal(f.severity, 'warning');
    assert.equal(f.istioCode, 'IST0145');
    assert.deepEqual(f.range, { start: { line: 13, character: 4 }, end: { line: 13, character: 9 } });
    assert.equal(f.related?.[0].file, 'b.yaml');
    ws.setFile('b.yaml', gw('b', 'admin.example.com'));
    assert.deepEqual(codes(ws, 'a.yaml', 'xref-gateway-conflict'), []);
  });

  it('IST0138: the same certificate on servers of two Gateways', () => {
    const ws = new AnalysisHost();
    ws.setFile('a.yaml', gw('a', 'a.example.com', 'shop-tls'));
    ws.setFile('b.yaml', gw('b', 'b.example.com', 'shop-tls'));
    const [f] = codes(ws, 'b.yaml', 'xref-gateway-duplicate-certificate');
    assert.equal(f.istioCode, 'IST0138');
    assert.equal(f.range.start.line, 12);
    ws.setFile('b.yaml', gw('b', 'b.example.com'));
    assert.deepEqual(codes(ws, 'b.yaml', 'xref-gateway-duplicate-certificate'), []);
  });
});

const vs = (name: string, host: string, subset: string, gateways = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: shop
spec:
  hosts: [${host}]${gateways}
  http:
  - route:
    - destination:
        host: ${host}
        subset: ${subset}
`;
const DR = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  host: cart.shop.svc.cluster.local\n  subsets:\n  - name: v1\n    labels: {version: v1}\n';

describe('cross-resource: routing', () => {
  it('IST0109: two mesh VirtualServices for one host (short and long forms)', () => {
    const ws = new AnalysisHost();
    ws.setFile('a.yaml', vs('a', 'cart', 'v1'));
    ws.setFile('b.yaml', vs('b', 'cart.shop.svc.cluster.local', 'v1'));
    assert.equal(codes(ws, 'a.yaml', 'xref-vs-mesh-host-conflict')[0]?.istioCode, 'IST0109');
    ws.setFile('b.yaml', vs('b', 'cart.shop.svc.cluster.local', 'v1', '\n  gateways: [web]'));
    assert.deepEqual(codes(ws, 'a.yaml', 'xref-vs-mesh-host-conflict'), []);
  });

  it('a subset missing from the host DestinationRule is a warning; silent when no DestinationRule of the host is in the workspace', () => {
    const ws = new AnalysisHost();
    ws.setFile('vs.yaml', vs('a', 'cart', 'v2'));
    assert.deepEqual(codes(ws, 'vs.yaml', 'xref-subset-not-found'), []);
    ws.setFile('dr.yaml', DR);
    const [f] = codes(ws, 'vs.yaml', 'xref-subset-not-found');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, { start: { line: 11, character: 16 }, end: { line: 11, character: 18 } });
    ws.setFile('vs.yaml', vs('a', 'cart', 'v1'));
    assert.deepEqual(codes(ws, 'vs.yaml', 'xref-subset-not-found'), []);
  });
});

describe('cross-resource: JWT wiring', () => {
  const claimVs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: claims
  namespace: web
spec:
  hosts: [shop.example.com]
  gateways: [a]
  http:
  - match:
    - headers:
        "@request.auth.claims.group":
          exact: admins
    route:
    - destination: {host: admin}
`;
  const ra = (ns: string, labels: string) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  namespace: ${ns}
spec:
  selector:
    matchLabels: {${labels}}
  jwtRules:
  - issuer: https://idp.example.com
`;

  it('IST0149: claim-based routing at a gateway no RequestAuthentication covers', () => {
    const ws = new AnalysisHost();
    ws.setFile('gw.yaml', gw('a', 'shop.example.com'));
    ws.setFile('vs.yaml', claimVs);
    const [f] = codes(ws, 'vs.yaml', 'xref-claim-routing-without-reqauth');
    assert.equal(f.istioCode, 'IST0149');
    assert.equal(f.range.start.line, 11);
    ws.setFile('ra.yaml', ra('istio-system', 'istio: ingressgateway'));
    assert.deepEqual(codes(ws, 'vs.yaml', 'xref-claim-routing-without-reqauth'), []);
  });

  it('a policy selecting the ingress gateway outside the root namespace', () => {
    const ws = new AnalysisHost();
    ws.setFile('ra.yaml', ra('shop', 'istio: ingressgateway'));
    const [f] = codes(ws, 'ra.yaml', 'xref-ingress-policy-namespace');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, 7);
    ws.setFile('ra.yaml', ra('istio-system', 'istio: ingressgateway'));
    assert.deepEqual(codes(ws, 'ra.yaml', 'xref-ingress-policy-namespace'), []);
  });

  it('a policy requiring tokens on workloads the RequestAuthentication does not select', () => {
    const ap = (labels: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require
  namespace: shop
spec:
  selector:
    matchLabels: {${labels}}
  rules:
  - from:
    - source:
        requestPrincipals: ["https://idp.example.com/*"]
`;
    const ws = new AnalysisHost();
    ws.setFile('ra.yaml', ra('shop', 'app: cart'));
    ws.setFile('ap.yaml', ap('app: orders'));
    const [f] = codes(ws, 'ap.yaml', 'xref-reqauth-policy-selector-mismatch');
    assert.equal(f.severity, 'warning');
    assert.equal(f.related?.[0].file, 'ra.yaml');
    ws.setFile('ap.yaml', ap('app: cart'));
    assert.deepEqual(codes(ws, 'ap.yaml', 'xref-reqauth-policy-selector-mismatch'), []);
  });
});
