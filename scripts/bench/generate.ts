/**
 * Deterministic generator of realistic Istio manifests for the benchmark: the documents a GitOps
 * repository keeps for each application (30-60 lines each, about 900 bytes), with the
 * cross-references of a real mesh: VirtualServices bound to the application's Gateway and routed
 * to the subsets of its DestinationRule, a RequestAuthentication and AuthorizationPolicies
 * selecting the same workload with principals of its issuer, PeerAuthentication, ServiceEntries
 * for the identity provider. About one document in forty carries a typical mistake (a misspelt
 * field, a subset no DestinationRule defines, an issuer differing by a trailing slash).
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

const APPS = ['productpage', 'reviews', 'ratings', 'details', 'cart', 'checkout', 'payments', 'search', 'catalog', 'users', 'orders', 'inventory'];
const IDPS = ['https://tenant-a.eu.auth0.com/', 'https://login.example.okta.com/oauth2/default', 'https://keycloak.example.com/realms/shop', 'https://login.microsoftonline.com/5f1c/v2.0', 'https://accounts.google.com'];

/** One application of one team: the names its documents share. */
interface App {
  /** Unique suffix. */
  id: number;
  ns: string;
  app: string;
  host: string;
  issuer: string;
  rnd: () => number;
}

type Gen = (a: App) => string;

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const gateway: Gen = ({ id, ns, app, host }) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${app}-gateway-${id}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
    app.kubernetes.io/part-of: shop
  annotations:
    owner: team-${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http-${id}
      protocol: HTTP
    hosts:
    - ${host}
    tls:
      httpsRedirect: true
  - port:
      number: 443
      name: https-${id}
      protocol: HTTPS
    tls:
      mode: SIMPLE
      credentialName: ${app}-tls-${id}
      minProtocolVersion: TLSV1_2
    hosts:
    - ${host}
`;

const virtualService: Gen = ({ id, ns, app, host, rnd }) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${app}-${id}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  hosts:
  - ${host}
  gateways:
  - ${app}-gateway-${id}
  http:
  - name: canary
    match:
    - uri:
        prefix: /api/v${1 + Math.floor(rnd() * 3)}
      headers:
        x-canary:
          exact: "true"
    route:
    - destination:
        host: ${app}.${ns}.svc.cluster.local
        subset: v2
        port:
          number: 8080
  - name: default
    match:
    - uri:
        prefix: /api
    route:
    - destination:
        host: ${app}.${ns}.svc.cluster.local
        subset: v1
        port:
          number: 8080
      weight: 90
    - destination:
        host: ${app}.${ns}.svc.cluster.local
        subset: ${rnd() < 0.03 ? 'v3' : 'v2'}
        port:
          number: 8080
      weight: 10
    timeout: ${1 + Math.floor(rnd() * 9)}s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,reset,connect-failure
`;

const destinationRule: Gen = ({ id, ns, app }) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${app}-${id}
  namespace: ${ns}
spec:
  host: ${app}.${ns}.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
    connectionPool:
      tcp:
        maxConnections: 100
        connectTimeout: 30ms
      http:
        http2MaxRequests: 1000
        maxRequestsPerConnection: 10
    outlierDetection:
      consecutive5xxErrors: 7
      interval: 5m
      baseEjectionTime: 15m
    loadBalancer:
      simple: LEAST_REQUEST
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
    trafficPolicy:
      loadBalancer:
        simple: ROUND_ROBIN
`;

const requestAuthentication: Gen = ({ id, ns, app, issuer, rnd }) => `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ${app}-jwt-${id}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  selector:
    matchLabels:
      app: ${app}
      tier: backend
  jwtRules:
  - issuer: "${issuer}"
    jwksUri: "${issuer.replace(/\/$/, '')}/.well-known/jwks.json"
    audiences:
    - https://${app}.example.com/api
    - ${app}-client
    forwardOriginalToken: ${rnd() < 0.5}
    outputPayloadToHeader: x-jwt-payload
    fromHeaders:
    - name: Authorization
      prefix: "Bearer "
    fromParams:
    - access_token
    outputClaimToHeaders:
    - header: x-jwt-sub
      claim: sub
    - header: x-jwt-tenant
      claim: tenant
`;

const requireJwt: Gen = ({ id, ns, app, issuer, rnd }) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${app}-require-jwt-${id}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  selector:
    matchLabels:
      app: ${app}
      tier: backend
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals:
        - "${rnd() < 0.03 ? issuer.replace(/\/$/, '') : issuer}/*"
    to:
    - operation:
        methods: ["GET", "POST", "PUT"]
        paths: ["/api/*"]
    when:
    - key: request.auth.claims[permissions]
      values: ["read:${app}", "write:${app}"]
    - key: request.auth.audiences
      values: ["https://${app}.example.com/api"]
  - from:
    - source:
        principals:
        - cluster.local/ns/${ns}/sa/${app}-worker
        namespaces:
        - ${ns}
    to:
    - operation:
        methods: ["GET"]
        paths: ["/healthz", "/metrics"]
`;

const denyAdmin: Gen = ({ id, ns, app, rnd }) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${app}-deny-admin-${id}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
      tier: backend
  action: DENY
  rules:
  - from:
    - source:
        notNamespaces:
        - ${ns}
        - istio-system
    to:
    - operation:
        ports: ["8080"]
        paths:
        - /admin
        - /admin/*
        - /internal/*
  - to:
    - operation:
        ports: ["8080"]
        methods: ["DELETE"]
        ${rnd() < 0.03 ? 'path' : 'paths'}: ["/api/v1/*"]
    when:
    - key: request.headers[x-debug]
      values: ["*"]
`;

const peerAuthentication: Gen = ({ id, ns, app }) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ${app}-mtls-${id}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
  annotations:
    owner: team-${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
      tier: backend
  mtls:
    mode: STRICT
  portLevelMtls:
    8080:
      mode: STRICT
    9090:
      mode: PERMISSIVE
    15020:
      mode: DISABLE
`;

const serviceEntry: Gen = ({ id, ns, app, issuer }) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: ${app}-idp-${id}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  hosts:
  - ${new URL(issuer).hostname}
  location: MESH_EXTERNAL
  ports:
  - number: 443
    name: https
    protocol: TLS
  - number: 80
    name: http
    protocol: HTTP
  resolution: DNS
  exportTo:
  - "."
  endpoints:
  - address: ${new URL(issuer).hostname}
    ports:
      https: 443
      http: 80
    labels:
      provider: idp
`;

/** The documents of one application, in the order a repository keeps them. */
const APP_DOCS: readonly Gen[] = [gateway, virtualService, destinationRule, requestAuthentication, requireJwt, denyAdmin, peerAuthentication, serviceEntry];

export const DOCS_PER_APP = APP_DOCS.length;

function appOf(i: number, rnd: () => number, appsPerNamespace: number): App {
  const app = APPS[i % APPS.length];
  const ns = `team-${Math.floor(i / appsPerNamespace)}`;
  return { id: i, ns, app, host: `${app}-${i}.${ns}.example.com`, issuer: pick(rnd, IDPS), rnd };
}

/** `count` documents: applications of 8 documents each, 6 applications per namespace. */
export function generateDocuments(count: number, seed = 1): string[] {
  const rnd = prng(seed);
  const docs: string[] = [];
  for (let i = 0; docs.length < count; i++) {
    const a = appOf(i, rnd, 6);
    for (const gen of APP_DOCS) {
      if (docs.length >= count) break;
      docs.push(gen(a));
    }
  }
  return docs;
}

export function generateFile(count: number, seed = 1): string {
  return generateDocuments(count, seed).join('---\n');
}

/**
 * A GitOps repository: `files` files of `docsPerFile` documents, one folder per team (namespace),
 * applications split across files the way repositories split them (one file per application
 * group), cross-references across files. Returns relative path → text.
 */
export function generateWorkspace(files: number, docsPerFile: number, seed = 11): Map<string, string> {
  const docs = generateDocuments(files * docsPerFile, seed);
  const out = new Map<string, string>();
  for (let f = 0; f < files; f++) {
    const slice = docs.slice(f * docsPerFile, (f + 1) * docsPerFile);
    const ns = /namespace: (\S+)/.exec(slice[0])?.[1] ?? 'default';
    out.set(`${ns}/apps-${f}.yaml`, slice.join('---\n'));
  }
  return out;
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
