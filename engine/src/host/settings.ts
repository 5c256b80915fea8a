import type { EngineSettings } from '../rules/rule';

/** How the host may reach JWKS and OIDC discovery endpoints. */
export interface NetworkSettings {
  /** Never fetch anything. */
  offline: boolean;
  /** Timeout of one request, in milliseconds. */
  timeoutMs?: number;
  /** How long a result is reused before the endpoint is fetched again, in milliseconds. */
  cacheTtlMs?: number;
  /** An explicit proxy (the editor's http.proxy); else HTTPS_PROXY/HTTP_PROXY/NO_PROXY from `env`. */
  proxy?: string;
  /** Verify TLS certificates (the editor's http.proxyStrictSSL). */
  rejectUnauthorized?: boolean;
  /** Paths of extra PEM CA certificates (corporate identity providers). */
  caCertificatePaths?: string[];
  /** Environment for proxy variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Everything the host's answers depend on besides the files. */
export interface HostSettings extends EngineSettings {
  network: NetworkSettings;
}

export const DEFAULT_HOST_SETTINGS: HostSettings = {
  defaultNamespace: 'default',
  rootNamespace: 'istio-system',
  network: { offline: false },
};
