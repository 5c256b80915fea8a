/** A normalised view of the simulated request: case-insensitive headers, query, cookies, identity. */
import { spiffeOf } from './match';
import { normalizeRequestLine, type PathNormalization } from './normalize';
import type { SimRequest } from './types';

export interface RequestView {
  method?: string;
  path?: string;
  host?: string;
  port?: number;
  /** The peer identity with spiffe://, or undefined (plaintext, no mTLS). */
  spiffe?: string;
  sourceIp?: string;
  remoteIp?: string;
  destinationIp?: string;
  sni?: string;
  query: URLSearchParams;
  /** Header value (repeated values joined with ","), or undefined when absent. */
  header(name: string): string | undefined;
  cookie(name: string): string | undefined;
  /** Whether any header, parameter or cookie may hold a token (for traces). */
  anyToken: boolean;
}

function headerMap(req: SimRequest): Map<string, string> {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    const name = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(',') : v;
    map.set(name, map.has(name) ? `${map.get(name)},${value}` : value);
  }
  if (req.token !== undefined && !map.has('authorization')) map.set('authorization', `Bearer ${req.token.trim()}`);
  if (req.host !== undefined && !map.has(':authority')) map.set(':authority', req.host);
  if (req.method !== undefined) map.set(':method', req.method);
  if (req.path !== undefined) map.set(':path', req.path);
  return map;
}

/** The identity used for principals/namespaces: the given principal, or one derived from the namespace. */
export function sourceIdentity(req: SimRequest): { spiffe?: string; note?: string } {
  if (req.sourcePrincipal) return { spiffe: spiffeOf(req.sourcePrincipal) };
  if (req.sourceNamespace) {
    const derived = `cluster.local/ns/${req.sourceNamespace}/sa/default`;
    return { spiffe: spiffeOf(derived), note: `Source identity assumed ${derived} (Istio derives the namespace from the mTLS peer certificate; pass a source principal to be exact).` };
  }
  return { note: 'No source principal: the request is treated as plaintext (no mTLS identity), so principals, namespaces and service accounts never match.' };
}

export function viewOf(req: SimRequest): RequestView {
  const headers = headerMap(req);
  const path = req.path;
  const q = path?.indexOf('?') ?? -1;
  const query = new URLSearchParams(q >= 0 && path ? path.slice(q + 1).replace(/#.*$/s, '') : '');
  const cookies = new Map<string, string>();
  for (const part of (headers.get('cookie') ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const header = (name: string): string | undefined => headers.get(name.toLowerCase());
  return {
    method: req.method,
    path,
    host: header(':authority') ?? header('host'),
    port: req.port,
    spiffe: sourceIdentity(req).spiffe,
    sourceIp: req.sourceIp,
    remoteIp: req.remoteIp ?? req.sourceIp,
    destinationIp: req.destinationIp,
    sni: req.sni,
    query,
    header,
    cookie: (name) => cookies.get(name),
    anyToken: headers.has('authorization') || query.has('access_token') || cookies.size > 0,
  };
}

/** The request as the policies see it (Envoy's codec checks and path normalisation applied), or Envoy's 400. */
export type PreparedRequest = { ok: true; view: RequestView; trace: string[] } | { ok: false; reason: string; trace: string[] };

export function prepareRequest(req: SimRequest, mode?: PathNormalization): PreparedRequest {
  const line = normalizeRequestLine(req.method, req.path, mode);
  if (!line.ok) return line;
  return { ok: true, view: viewOf({ ...req, method: line.method, path: line.path }), trace: line.trace };
}
