/**
 * Documents an analysis worker analyses once when it starts, so that the first real batch finds
 * the schemas loaded, the CEL programs compiled and the hot paths optimised.
 */
export const WARMUP_DOCUMENTS: readonly string[] = [
  `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: warmup
  namespace: default
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: SIMPLE, credentialName: warmup-tls}
    hosts: ["warmup.example.com"]
`,
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: warmup
spec:
  hosts: ["warmup.example.com"]
  gateways: ["warmup"]
  http:
  - match: [{uri: {prefix: /api}, headers: {x-a: {exact: "1"}}}]
    route: [{destination: {host: warmup, subset: v1, port: {number: 8080}}, weight: 100}]
    timeout: 5s
    retries: {attempts: 3, perTryTimeout: 2s}
`,
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: warmup
spec:
  host: warmup
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
    connectionPool: {tcp: {maxConnections: 10}, http: {http2MaxRequests: 10}}
    outlierDetection: {consecutive5xxErrors: 5, interval: 1m}
  subsets: [{name: v1, labels: {version: v1}}]
`,
  `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: warmup
spec:
  selector: {matchLabels: {app: warmup}}
  jwtRules:
  - issuer: https://warmup.example.com/
    jwksUri: https://warmup.example.com/.well-known/jwks.json
    audiences: [warmup]
    fromHeaders: [{name: Authorization, prefix: "Bearer "}]
    outputClaimToHeaders: [{header: x-sub, claim: sub}]
`,
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: warmup
spec:
  selector: {matchLabels: {app: warmup}}
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["https://warmup.example.com//*"], namespaces: [default]}}]
    to: [{operation: {methods: [GET], paths: ["/api/*"], ports: ["8080"]}}]
    when: [{key: "request.auth.claims[scope]", values: [read]}]
`,
  `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: warmup
spec:
  selector: {matchLabels: {app: warmup}}
  mtls: {mode: STRICT}
  portLevelMtls: {8080: {mode: PERMISSIVE}}
`,
  `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: warmup
spec:
  hosts: [warmup.example.com]
  location: MESH_EXTERNAL
  ports: [{number: 443, name: https, protocol: TLS}]
  resolution: DNS
`,
];
