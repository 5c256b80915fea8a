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
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  defaultNamespace: 'default',
  rootNamespace: 'istio-system',
  offline: false,
};

export const SETTINGS_SECTION = 'istioSecurity';
