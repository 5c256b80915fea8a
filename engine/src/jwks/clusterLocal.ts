/** Hosts that only resolve inside a Kubernetes cluster, and how to reach them through kubectl. */

/** True for a syntactically valid DNS name (letters, digits, hyphens, dots); IP literals are not names. */
export function isDnsName(hostname: string): boolean {
  return /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i.test(hostname);
}

/** True for `*.svc`, `*.cluster.local` (incl. `*.svc.cluster.local`) and single-label names (not localhost). */
export function isClusterLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || !isDnsName(host)) return false;
  if (!host.includes('.')) return true;
  return host.endsWith('.svc') || host.endsWith('.cluster.local');
}

export interface ClusterService {
  service: string;
  /** Namespace from the host name; undefined for a single-label name (the caller's namespace applies). */
  namespace?: string;
  port: number;
  scheme: 'http' | 'https';
  /** Path and query, without the leading slash. */
  path: string;
}

/** The Service a cluster-local URL names (`svc`, `svc.ns.svc`, `svc.ns.svc.cluster.local`), or undefined. */
export function clusterServiceOf(url: URL): ClusterService | undefined {
  if (!isClusterLocalHost(url.hostname)) return undefined;
  const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : undefined;
  if (!scheme) return undefined;
  const labels = url.hostname.toLowerCase().replace(/\.$/, '').split('.');
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  const path = `${url.pathname}${url.search}`.replace(/^\//, '');
  if (labels.length === 1) return { service: labels[0], port, scheme, path };
  if (labels.length >= 3 && labels[2] === 'svc') return { service: labels[0], namespace: labels[1], port, scheme, path };
  return undefined;
}

/**
 * kubectl arguments that GET a cluster-local URL through the API server's service proxy:
 * `--context <ctx> get --raw /api/v1/namespaces/<ns>/services/[https:]<svc>:<port>/proxy/<path>`.
 * `namespace` applies to single-label hosts; `context` is omitted when undefined (current context).
 */
export function kubectlProxyArgs(rawUrl: string, opts: { context?: string; namespace?: string } = {}): string[] | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  const svc = clusterServiceOf(url);
  if (!svc) return undefined;
  const ns = svc.namespace ?? opts.namespace ?? 'default';
  const proto = svc.scheme === 'https' ? 'https:' : '';
  const raw = `/api/v1/namespaces/${ns}/services/${proto}${svc.service}:${svc.port}/proxy/${svc.path}`;
  return [...(opts.context ? ['--context', opts.context] : []), 'get', '--raw', raw];
}
