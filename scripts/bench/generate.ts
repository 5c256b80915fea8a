/**
 * Deterministic generator of realistic multi-document Istio files for the benchmark:
 * the mix of kinds a mesh-wide policy bundle or a Helm render holds, about 20 lines each,
 * with an occasional mistake so that diagnostics are published.
 */

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = ['productpage', 'reviews', 'ratings', 'details', 'cart', 'checkout', 'payments', 'search', 'catalog', 'users'];

type Gen = (i: number, ns: string, app: string, rnd: () => number) => string;

const gateway: Gen = (i, ns, app) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${app}-gateway-${i}
  namespace: ${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https-${i}
      protocol: HTTPS
    tls:
      mode: SIMPLE
      credentialName: ${app}-tls-${i}
    hosts:
    - ${app}-${i}.example.com
`;

const virtualService: Gen = (i, ns, app, rnd) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${app}-${i}
  namespace: ${ns}
spec:
  hosts:
  - ${app}-${i}.example.com
  gateways:
  - ${app}-gateway-${i - 1}
  http:
  - match:
    - uri:
        prefix: /api/v${1 + Math.floor(rnd() * 3)}
    route:
    - destination:
        host: ${app}
        subset: v1
      weight: 80
    - destination:
        host: ${app}
        subset: v2
      weight: 20
    timeout: ${1 + Math.floor(rnd() * 9)}s
`;

const destinationRule: Gen = (i, ns, app) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${app}-${i}
  namespace: ${ns}
spec:
  host: ${app}
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`;

const requestAuthentication: Gen = (i, ns, app, rnd) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ${app}-jwt-${i}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
  jwtRules:
  - issuer: https://tenant-${i % 7}.eu.auth0.com/
    jwksUri: https://tenant-${i % 7}.eu.auth0.com/.well-known/jwks.json
    audiences:
    - https://${app}.example.com/api
    forwardOriginalToken: ${rnd() < 0.5}
`;

const authorizationPolicy: Gen = (i, ns, app, rnd) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${app}-allow-${i}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals:
        - https://tenant-${i % 7}.eu.auth0.com//*
    to:
    - operation:
        methods: ["GET", "POST"]
        paths: ["/api/*"]
    when:
    - key: request.auth.claims[permissions]
      values: ["read:${app}-${Math.floor(rnd() * 100)}"]
`;

const peerAuthentication: Gen = (i, ns, app) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ${app}-mtls-${i}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
  mtls:
    mode: STRICT
`;

/** One in fifty documents carries a typical mistake (a misspelt field). */
const mistaken: Gen = (i, ns, app) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ${app}-typo-${i}
  namespace: ${ns}
spec:
  jwtRules:
  - issuer: https://tenant.eu.auth0.com/
    jwksURI: https://tenant.eu.auth0.com/.well-known/jwks.json
`;

const MIX: Gen[] = [gateway, virtualService, destinationRule, requestAuthentication, authorizationPolicy, peerAuthentication];

export function generateDocuments(count: number, seed = 1): string[] {
  const rnd = prng(seed);
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const app = APPS[i % APPS.length];
    const ns = `team-${Math.floor(i / 50)}`;
    const gen = i % 50 === 49 ? mistaken : MIX[i % MIX.length];
    docs.push(gen(i, ns, app, rnd));
  }
  return docs;
}

export function generateFile(count: number, seed = 1): string {
  return generateDocuments(count, seed).join('---\n');
}

/** The middle line of the middle document's metadata.name, for edits, hover and completion. */
export function midFilePoints(text: string): { nameLine: number; nameChar: number; keyLine: number; keyChar: number } {
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  let nameLine = mid;
  while (nameLine < lines.length && !/^ {2}name: /.test(lines[nameLine])) nameLine++;
  let keyLine = nameLine;
  while (keyLine < lines.length && !/^spec:/.test(lines[keyLine])) keyLine++;
  return { nameLine, nameChar: lines[nameLine].length, keyLine: keyLine + 1, keyChar: 2 };
}
