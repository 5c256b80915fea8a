/**
 * Checks a JWKS endpoint that only resolves inside the cluster (`*.svc`, `*.svc.cluster.local`,
 * single-label names) through the API server's service proxy:
 * `kubectl --context <ctx> get --raw /api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/<path>`.
 * An issuer without jwksUri goes through its OIDC discovery document first, as istiod does.
 * The body gets the same key checks as a fetched or inline JWKS: the client does not import the
 * engine, so the URL → kubectl arguments mapping and the key checks come from the language server
 * (`ClusterJwksEngine`, requests istio/kubectlProxyArgs and istio/analyzeKeySet).
 * No `vscode` import.
 */
import type { KeySetReport } from '../../../protocol/src/index';
import { explainFailure } from './errors';
import { runKubectl, type KubectlSettings, type RunResult } from './kubectl';

/** What the check needs from the engine (through the language server in the extension). */
export interface ClusterJwksEngine {
  proxyArgs(url: string, opts: { context: string; namespace?: string }): Promise<string[] | undefined>;
  analyzeKeySet(text: string): Promise<KeySetReport>;
}

export interface ClusterJwksRequest {
  /** The jwtRule's jwksUri; or, without it, its issuer's OIDC discovery URL (the server computes it as istiod does). */
  jwksUri?: string;
  discoveryUrl?: string;
  /** The RequestAuthentication's namespace: applies to single-label host names. */
  namespace?: string;
  /** The kube context, always passed explicitly as --context. */
  context: string;
  /** For messages: the context's API server. */
  server?: string;
  settings: KubectlSettings;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface ClusterJwksStep {
  url: string;
  /** The kubectl command line that fetched it. */
  argv: string[];
}

export interface ClusterJwksResult {
  ok: boolean;
  /** One line for a notification. */
  message: string;
  steps: ClusterJwksStep[];
  keys: KeySetReport['summaries'];
  problems: KeySetReport['problems'];
}

type Fetched = { body: string } | { error: string };

async function fetchThroughCluster(url: string, req: ClusterJwksRequest, engine: ClusterJwksEngine, steps: ClusterJwksStep[]): Promise<Fetched> {
  const args = await engine.proxyArgs(url, { context: req.context, namespace: req.namespace });
  if (!args) return { error: `${url} is not a cluster-local http(s) URL (a Service name: svc, svc.ns.svc or svc.ns.svc.cluster.local); it can be checked directly` };
  const r: RunResult = await runKubectl({ settings: req.settings, args, signal: req.signal, env: req.env });
  steps.push({ url, argv: r.argv });
  const failure = explainFailure(r, { context: req.context, server: req.server ?? '', kubectlPath: req.settings.path, timeoutMs: req.settings.timeoutMs, docs: [], files: [] });
  if (!failure) return { body: r.stdout };
  return { error: `${url}: ${proxyFailure(r.stderr) ?? failure.message}` };
}

/** What the service proxy said, in the user's terms (kubectl prints "Error from server (Reason): ..."). */
function proxyFailure(stderr: string): string | undefined {
  const m = /Error from server \((\w+)\)(?:: (.*))?/.exec(stderr);
  if (!m) return undefined;
  const [, reason, detail = ''] = m;
  if (reason === 'NotFound') return `the API server answered NotFound (${detail.trim() || 'no such Service, port or path'}): check the Service name, namespace, port and the path`;
  if (reason === 'ServiceUnavailable') return `the Service has no ready endpoint (ServiceUnavailable${detail ? `: ${detail.trim()}` : ''}): is the identity provider's pod running?`;
  if (reason === 'Forbidden') return `the context may not use the services/proxy subresource (Forbidden${detail ? `: ${detail.trim()}` : ''})`;
  return `the API server answered ${reason}${detail ? `: ${detail.trim()}` : ''}`;
}

function jwksUriOfDiscovery(body: string): string | undefined {
  try {
    const d = JSON.parse(body) as { jwks_uri?: unknown };
    return typeof d.jwks_uri === 'string' ? d.jwks_uri : undefined;
  } catch {
    return undefined;
  }
}

export async function checkJwksThroughCluster(req: ClusterJwksRequest, engine: ClusterJwksEngine): Promise<ClusterJwksResult> {
  const steps: ClusterJwksStep[] = [];
  const fail = (message: string): ClusterJwksResult => ({ ok: false, message, steps, keys: [], problems: [] });
  let jwksUri = req.jwksUri;
  if (!jwksUri) {
    const discovery = req.discoveryUrl;
    if (!discovery) return fail('the jwtRule has neither jwksUri nor issuer');
    const got = await fetchThroughCluster(discovery, req, engine, steps);
    if ('error' in got) return fail(got.error);
    jwksUri = jwksUriOfDiscovery(got.body);
    if (!jwksUri) return fail(`${discovery}: the discovery document is not JSON with a "jwks_uri" string`);
  }
  const got = await fetchThroughCluster(jwksUri, req, engine, steps);
  if ('error' in got) return fail(got.error);
  const report = await engine.analyzeKeySet(got.body);
  if (report.notJson !== undefined) return fail(`${jwksUri}: the response is not JSON (${report.notJson})`);
  const { usable, problems } = report;
  if (usable.length === 0) {
    const why = problems.map((p) => p.message).join('; ') || 'no key in "keys"';
    return { ok: false, message: `${jwksUri}: no usable public key (${why})`, steps, keys: report.summaries, problems };
  }
  const ids = usable.map((k) => `${k.kid ?? '(no kid)'} ${k.alg}`).join(', ');
  const extra = problems.length ? `; ${problems.length} problem(s): ${problems.map((p) => p.message).join('; ')}` : '';
  return { ok: problems.length === 0, message: `${jwksUri} answered from context "${req.context}" with ${usable.length} usable key(s): ${ids}${extra}`, steps, keys: report.summaries, problems };
}
