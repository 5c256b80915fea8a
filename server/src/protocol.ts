/**
 * Custom LSP messages and settings shared by the server and the VS Code client
 * (the client imports this file; it must stay free of Node- or VS Code-specific imports).
 */

/** Server → client: what the server found in a document, for the language status item. */
export const StatusNotification = 'istio/status';
export interface StatusParams {
  uri: string;
  version: number | null;
  /** Documents in the file that belong to Istio API groups. */
  istioDocuments: number;
  documents: number;
  errors: number;
  warnings: number;
  /** How the server brought its model up to this version: re-split around one edit, or re-read whole. */
  update: 'incremental' | 'full';
  /** Documents of the file analysed for this version (the others came from the cache). */
  analyzedDocuments: number;
}

/** Settings under the `istioSecurity` prefix (package.json contributes.configuration). */
export interface ServerSettings {
  defaultNamespace: string;
  rootNamespace: string;
  /** Never fetch anything (JWKS, OIDC discovery). */
  offline: boolean;
  jwks: {
    /** Check endpoints in the background when a document opens or a URL changes. */
    autoCheck: boolean;
    timeoutMs: number;
    cacheTtlSeconds: number;
    /** Paths of extra PEM CA certificates (corporate IdPs). */
    caCertificates: string[];
  };
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  defaultNamespace: 'default',
  rootNamespace: 'istio-system',
  offline: false,
  jwks: { autoCheck: true, timeoutMs: 5000, cacheTtlSeconds: 300, caCertificates: [] },
};

/** What the client tells the server at start (initializationOptions). */
export interface InitializationOptions {
  settings?: Partial<ServerSettings>;
  /** VS Code's workspace trust; other editors omit it (trusted). */
  trusted?: boolean;
  /** VS Code's `http.proxy` and `http.proxyStrictSSL`. */
  http?: { proxy?: string; proxyStrictSSL?: boolean };
}

/** Client → server: the workspace became trusted, or the http settings changed. */
export const TrustNotification = 'istio/trust';
export interface TrustParams {
  trusted: boolean;
  http?: { proxy?: string; proxyStrictSSL?: boolean };
}

/** Client → server: check JWKS endpoints now (explicit user action; allowed in untrusted workspaces). */
export const CheckJwksRequest = 'istio/checkJwks';
export interface CheckJwksParams {
  /** One document, or every indexed file when omitted. */
  uri?: string;
  force?: boolean;
}
export interface CheckJwksResult {
  /** RequestAuthentication documents checked. */
  documents: number;
  problems: number;
  offline: boolean;
}

export const SETTINGS_SECTION = 'istioSecurity';

/** Client command: checks a cluster-local jwksUri (or issuer) through the current kube context. */
export const CheckJwksFromClusterCommand = 'istioSecurity.checkJwksFromCluster';
export interface ClusterJwksArgs {
  jwksUri?: string;
  /** Without jwksUri: the issuer's OIDC discovery document (where istiod finds jwks_uri). */
  discoveryUrl?: string;
  /** The RequestAuthentication's namespace (for single-label host names). */
  namespace?: string;
}

/** kubectl arguments that GET a cluster-local URL through the API server's service proxy (undefined: not cluster-local). */
export const KubectlProxyArgsRequest = 'istio/kubectlProxyArgs';
export interface KubectlProxyArgsParams {
  url: string;
  context: string;
  namespace?: string;
}
export interface KubectlProxyArgsResult {
  args?: string[];
}

/** The engine's key checks on a JWKS body the client fetched (through kubectl). */
export const AnalyzeKeySetRequest = 'istio/analyzeKeySet';
export interface AnalyzeKeySetParams {
  text: string;
}
export interface KeySetReport {
  notJson?: string;
  summaries: Array<{ index: number; kid?: string; kty?: string; alg?: string; use?: string; crv?: string }>;
  usable: Array<{ kid?: string; alg: string }>;
  problems: Array<{ code: string; message: string; index?: number }>;
}

// ── JWTs in the editor (issue 7). Tokens travel only between the client and the local server;
// neither side logs them. ──

/** A position in a document (LSP's, 0-based). */
export interface JwtPosition {
  line: number;
  character: number;
}

/** Client → server: the token under the cursor of a document, if any. */
export const JwtAtRequest = 'istio/jwtAt';
export interface JwtAtParams {
  uri: string;
  position: JwtPosition;
}
export interface JwtAtResult {
  token: string | null;
}

/** What the side documents show: a title and markdown content (never the whole token). */
export interface JwtReport {
  title: string;
  content: string;
}

/** Client → server: decode a token and run the workspace checks on it. */
export const DecodeJwtRequest = 'istio/decodeJwt';
export interface DecodeJwtParams {
  token: string;
}
export interface DecodeJwtResult extends JwtReport {
  ok: boolean;
  issuer?: string;
  principal?: string;
  status?: 'valid' | 'expired' | 'not-yet-valid';
}

/** A RequestAuthentication jwtRule of the workspace. */
export interface JwtRuleRef {
  namespace: string;
  name: string;
  ruleIndex: number;
}
export interface JwtRuleChoice extends JwtRuleRef {
  /** "RequestAuthentication ns/name jwtRules[i]: issuer (keys)", for a QuickPick. */
  label: string;
  issuer: string;
  issuerMatches: boolean;
}

/** Client → server: verify a token against one jwtRule, as Envoy would. */
export const VerifyJwtRequest = 'istio/verifyJwt';
export interface VerifyJwtParams {
  token: string;
  /** Omitted: the one rule whose issuer matches; several or none → `needsRule`. */
  rule?: JwtRuleRef;
}
export type VerifyJwtResult =
  | { kind: 'needsRule'; candidates: JwtRuleChoice[]; reason: string }
  | ({ kind: 'verified'; ok: boolean; failed?: string; httpStatus?: number; signatureChecked: boolean } & JwtReport);

/** A workload the simulator can target (from the selectors of the workspace's policies). */
export interface SimulationTarget {
  namespace: string;
  labels: Record<string, string>;
  /** "foo: app=httpbin", for a QuickPick. */
  label: string;
  /** Which resources select it. */
  selectedBy: string[];
}
/** Client → server: the workloads the workspace's selectors name. */
export const SimulationTargetsRequest = 'istio/simulationTargets';
export interface SimulationTargetsResult {
  targets: SimulationTarget[];
}

/** Client → server: simulate one request against the workspace's policies. */
export const SimulateRequest = 'istio/simulate';
export interface SimulateParams {
  method?: string;
  path?: string;
  host?: string;
  port?: number;
  target: { namespace: string; labels: Record<string, string> };
  token?: string;
}
export interface SimulateResult extends JwtReport {
  status: 200 | 401 | 403;
  allowed: boolean;
  reason: string;
}

/** Client → server: convert the removed APIs of a document (the edit is the client's to apply). */
export const ConvertRemovedApisRequest = 'istio/convertRemovedApis';
export interface ConvertRemovedApisParams {
  uri: string;
}
export interface ConvertRemovedApisResult {
  /** One edit over the changed span, or null when nothing converts. */
  edit: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string } | null;
  /** Version of the document the edit applies to. */
  version: number | null;
  notes: Array<{ severity: 'information' | 'warning'; code: string; message: string; line: number }>;
}
