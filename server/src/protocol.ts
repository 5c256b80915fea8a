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
  rules: number;
  problems: number;
  offline: boolean;
}

export const SETTINGS_SECTION = 'istioSecurity';
