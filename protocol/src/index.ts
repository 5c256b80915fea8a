/**
 * The custom LSP messages, command ids and settings shared by the language server and the VS Code
 * client (vscode-eslint style): one typed object per message, so both sides agree on the method
 * name and the parameter and result types. Payloads are the analysis host's plain data types
 * (type-only imports: no engine code reaches the client). Besides those, only vscode-jsonrpc's
 * message types are imported (a test enforces both).
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type {
  DecodeReport,
  FileStatus,
  JwtRuleChoice,
  JwtRuleRef,
  KeySetReport,
  Position,
  Range,
  Report,
  SimulateParams,
  SimulateReport,
  SimulationTarget,
  VerifyParams,
  VerifyReport,
} from '../../engine/src/host/types';

export type { JwtRuleChoice, JwtRuleRef, KeySetReport, Position, Range, SimulateParams, SimulationTarget };

// ── Settings ──

export const SETTINGS_SECTION = 'istioSecurity';

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

/** VS Code's `http.proxy` and `http.proxyStrictSSL`. */
export interface HttpSettings {
  proxy?: string;
  proxyStrictSSL?: boolean;
}

/** What the client tells the server at start (initializationOptions). */
export interface InitializationOptions {
  settings?: Partial<ServerSettings>;
  /** VS Code's workspace trust; other editors omit it (trusted). */
  trusted?: boolean;
  http?: HttpSettings;
}

// ── Commands the server's lenses and the client share ──

export const Commands = {
  /** (uri, position, locations): peek the references of a lens. */
  showReferences: 'istioSecurity.showReferences',
  /** (uri?): check the JWKS endpoints of one document or the workspace. */
  checkJwks: 'istioSecurity.checkJwks',
  /** (ClusterJwksArgs): check a cluster-local jwksUri (or issuer) through the current kube context. */
  checkJwksFromCluster: 'istioSecurity.checkJwksFromCluster',
} as const;

// ── Server → client ──

/** What the server found in a document (the host's FileStatus), for the language status item and tests. */
export interface StatusParams extends FileStatus {
  uri: string;
  version: number | null;
}
export const StatusNotification = new NotificationType<StatusParams>('istio/status');

// ── Client → server ──

/** The workspace became trusted, or the http settings changed. */
export interface TrustParams {
  trusted: boolean;
  http?: HttpSettings;
}
export const TrustNotification = new NotificationType<TrustParams>('istio/trust');

/** Check JWKS endpoints now (explicit user action; allowed in untrusted workspaces). */
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
export const CheckJwksRequest = new RequestType<CheckJwksParams, CheckJwksResult, void>('istio/checkJwks');

/** A cluster-local JWKS endpoint (the argument of Commands.checkJwksFromCluster). */
export interface ClusterJwksArgs {
  jwksUri?: string;
  /** Without jwksUri: the issuer's OIDC discovery document (where istiod finds jwks_uri). */
  discoveryUrl?: string;
  /** The RequestAuthentication's namespace (for single-label host names). */
  namespace?: string;
}

/** kubectl arguments that GET a cluster-local URL through the API server's service proxy (undefined: not cluster-local). */
export interface KubectlProxyArgsParams {
  url: string;
  context: string;
  namespace?: string;
}
export interface KubectlProxyArgsResult {
  args?: string[];
}
export const KubectlProxyArgsRequest = new RequestType<KubectlProxyArgsParams, KubectlProxyArgsResult, void>('istio/kubectlProxyArgs');

/** The engine's key checks on a JWKS body the client fetched (through kubectl). */
export interface AnalyzeKeySetParams {
  text: string;
}
export const AnalyzeKeySetRequest = new RequestType<AnalyzeKeySetParams, KeySetReport, void>('istio/analyzeKeySet');

// ── JWTs in the editor. Tokens travel only between the client and the local server; neither side logs them. ──

/** The token under the cursor of a document, if any. */
export interface JwtAtParams {
  uri: string;
  position: Position;
}
export interface JwtAtResult {
  token: string | null;
}
export const JwtAtRequest = new RequestType<JwtAtParams, JwtAtResult, void>('istio/jwtAt');

/** What the side documents show: a title and markdown content (never the whole token). */
export type JwtReport = Report;

/** Decode a token and run the workspace checks on it. */
export interface DecodeJwtParams {
  token: string;
}
export type DecodeJwtResult = DecodeReport;
export const DecodeJwtRequest = new RequestType<DecodeJwtParams, DecodeJwtResult, void>('istio/decodeJwt');

/** Verify a token against one jwtRule, as Envoy would (no rule given: the one with the token's issuer). */
export type VerifyJwtParams = VerifyParams;
export type VerifyJwtResult = VerifyReport;
export const VerifyJwtRequest = new RequestType<VerifyJwtParams, VerifyJwtResult, void>('istio/verifyJwt');

/** The workloads the workspace's selectors name. */
export interface SimulationTargetsResult {
  targets: SimulationTarget[];
}
export const SimulationTargetsRequest = new RequestType0<SimulationTargetsResult, void>('istio/simulationTargets');

/** Simulate one request against the workspace's policies. */
export type SimulateResult = SimulateReport;
export const SimulateRequest = new RequestType<SimulateParams, SimulateResult, void>('istio/simulate');

/** Convert the removed APIs of a document (the edit is the client's to apply). */
export interface ConvertRemovedApisParams {
  uri: string;
}
export interface ConvertRemovedApisResult {
  /** One edit over the changed span, or null when nothing converts. */
  edit: { range: Range; newText: string } | null;
  /** Version of the document the edit applies to. */
  version: number | null;
  notes: Array<{ severity: 'information' | 'warning'; code: string; message: string; line: number }>;
}
export const ConvertRemovedApisRequest = new RequestType<ConvertRemovedApisParams, ConvertRemovedApisResult, void>('istio/convertRemovedApis');

/** Convert the Istio Gateways of a document, their VirtualServices and gateway policies to the Kubernetes Gateway API. */
export const ConvertToGatewayApiRequest = new RequestType<ConvertRemovedApisParams, ConvertRemovedApisResult, void>('istio/convertToGatewayApi');

/** Render a Kustomize overlay or a Helm chart and check the output (the client's "Check Kustomize Overlay" / "Check Helm Chart" commands). */
export interface CheckRenderedParams {
  renderer: 'kustomize' | 'helm';
  /** The overlay or chart directory (a file system path). */
  dir: string;
  /** Helm values files. */
  values?: string[];
  /** The kubectl executable (the client's istioSecurity.kubectl.path). */
  kubectlPath?: string;
  timeoutMs?: number;
}
/**
 * `Diagnostic` is the LSP Diagnostic the server publishes for the same findings (code link, related
 * locations): this module imports no LSP types, so the request carries it as `unknown` and the
 * server's handler and the client name it.
 */
export interface CheckRenderedResult<Diagnostic = unknown> {
  ok: boolean;
  /** One line for a notification: what was rendered and found, or why it could not be. */
  message: string;
  /** Diagnostics per source file URI (the patch, resource file, kustomization or template). */
  files: Array<{ uri: string; diagnostics: Diagnostic[] }>;
}
export const CheckRenderedRequest = new RequestType<CheckRenderedParams, CheckRenderedResult, void>('istio/checkRendered');

/** For tools and tests: the server's memory (after a garbage collection when Node runs with --expose-gc) and what it holds. */
export interface ServerStats {
  heapUsedBytes: number;
  rssBytes: number;
  /** True when the heap figure follows a forced garbage collection. */
  collected: boolean;
  files: number;
  resources: number;
}
export const ServerStatsRequest = new RequestType0<ServerStats, void>('istio/serverStats');

/** For tests and tools: resolves when the initial workspace index is built. */
export interface IndexReadyResult {
  resources: number;
}
export const IndexReadyRequest = new RequestType0<IndexReadyResult, void>('istio/indexReady');
