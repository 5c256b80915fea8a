/** Proxy selection: explicit option first, then HTTPS_PROXY/HTTP_PROXY and NO_PROXY (any case). */

export interface ProxySettings {
  /** Explicit proxy URL (e.g. VS Code's http.proxy); wins over the environment. Empty string = none. */
  proxy?: string;
  /** Environment to read HTTPS_PROXY/HTTP_PROXY/NO_PROXY from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** True when NO_PROXY (comma/space separated: `*`, `host`, `.suffix`, `host:port`) exempts the URL. */
export function isNoProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || defaultPort(target.protocol);
  return noProxy
    .split(/[\s,]+/)
    .filter((e) => e !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase());
      const pattern = (m?.[1] ?? '').replace(/^\*?\./, '.').replace(/^\[|\]$/g, '');
      if (m?.[2] && m[2] !== port) return false;
      if (pattern.startsWith('.')) return host.endsWith(pattern) || host === pattern.slice(1);
      return host === pattern || host.endsWith(`.${pattern}`);
    });
}

/** The proxy URL to use for a target, or undefined for a direct connection. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  const env = settings.env ?? process.env;
  const raw =
    settings.proxy !== undefined
      ? settings.proxy.trim() || undefined
      : target.protocol === 'https:'
        ? (envValue(env, 'https_proxy') ?? envValue(env, 'http_proxy'))
        : envValue(env, 'http_proxy');
  if (!raw || isNoProxy(target, envValue(env, 'no_proxy'))) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

/** `Proxy-Authorization` value for a proxy URL with user:password@, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(creds).toString('base64')}`;
}
