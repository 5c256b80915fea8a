/**
 * A fake Kubernetes API server on 127.0.0.1 (plain HTTP) that answers the requests the real
 * kubectl makes for discovery, get, client-side apply (GET, then POST or PATCH with a JSON
 * merge patch), server-side apply (PATCH application/apply-patch+yaml with fieldManager),
 * diff and server-side dry run (dryRun=All), and records every request it saw.
 *
 * It serves the Istio groups networking.istio.io and security.istio.io (v1) and core v1
 * namespaces. Tests can make it deny an object like Istio's validating webhook does, report
 * a server-side apply conflict, or stall (never answer) to test cancellation.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { URL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { KeyPair } from './certs';

export interface KubeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  contentType: string;
  /** The parsed JSON or YAML body, if any. */
  body: unknown;
}

interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export const FAKE_RESOURCE_TYPES: readonly ResourceType[] = [
  { group: 'networking.istio.io', version: 'v1', kind: 'VirtualService', plural: 'virtualservices', namespaced: true },
  { group: 'networking.istio.io', version: 'v1', kind: 'Gateway', plural: 'gateways', namespaced: true },
  { group: 'networking.istio.io', version: 'v1', kind: 'DestinationRule', plural: 'destinationrules', namespaced: true },
  { group: 'networking.istio.io', version: 'v1', kind: 'ServiceEntry', plural: 'serviceentries', namespaced: true },
  { group: 'security.istio.io', version: 'v1', kind: 'AuthorizationPolicy', plural: 'authorizationpolicies', namespaced: true },
  { group: 'security.istio.io', version: 'v1', kind: 'RequestAuthentication', plural: 'requestauthentications', namespaced: true },
  { group: 'security.istio.io', version: 'v1', kind: 'PeerAuthentication', plural: 'peerauthentications', namespaced: true },
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
];

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** A server-side apply conflict the fake reports: `field` is owned by `manager`. */
export interface FakeConflict {
  manager: string;
  field: string;
}

export interface FakeKubeApiOptions {
  /** Returns a denial message (as Istio's webhook would) for an object, or undefined to admit it. */
  deny?: (obj: KubeObject) => string | undefined;
  /** Server-side apply without force=true on this object name reports these conflicts. */
  conflicts?: (obj: KubeObject) => FakeConflict[];
  /** Requests matching this never get an answer (the connection stays open until close()). */
  stall?: (req: KubeRequest) => boolean;
  /**
   * The API server's service proxy, GET /api/v1/namespaces/NS/services/[SCHEME:]NAME:PORT/proxy/PATH:
   * return the body the Service answers, or undefined for "no such Service" (404 NotFound).
   * Without this option every service proxy request answers 503 ServiceUnavailable.
   */
  serviceProxy?: (p: { namespace: string; service: string; port: string; scheme: string; path: string }) => string | undefined;
  /** Serve HTTPS with this key pair (kubectl runs exec credential plugins only for https servers). */
  tls?: KeyPair;
}

export interface FakeKubeApi {
  /** http://127.0.0.1:PORT (https:// with the tls option) */
  server: string;
  requests: KubeRequest[];
  /** Stored objects by `namespace/plural/name` (cluster-scoped: `/plural/name`). */
  objects: Map<string, KubeObject>;
  /** Resolves when a request matching `pred` arrives (already-recorded ones count). */
  waitForRequest(pred: (r: KubeRequest) => boolean): Promise<KubeRequest>;
  /** Stores an object as if it already existed in the cluster. */
  seed(obj: KubeObject): void;
  /** The write requests (POST, PATCH, PUT, DELETE): what tests usually assert. */
  writes(): KubeRequest[];
  close(): Promise<void>;
}

function groupVersion(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

function basePath(t: ResourceType): string {
  return t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
}

function apiResourceList(gv: string, types: readonly ResourceType[]): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: types.map((t) => ({
      name: t.plural,
      singularName: t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}

function apiGroupList(): unknown {
  const groups = [...new Set(FAKE_RESOURCE_TYPES.filter((t) => t.group).map((t) => t.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  };
}

/** The OpenAPI v3 root: where each group-version's document is. */
function openApiRoot(): unknown {
  const gvs = [...new Set(FAKE_RESOURCE_TYPES.map(basePath))];
  return { paths: Object.fromEntries(gvs.map((b) => [b.slice(1), { serverRelativeURL: `/openapi/v3${b}?hash=fake` }])) };
}

/**
 * A group-version's OpenAPI v3 document, reduced to what kubectl reads: the PATCH operation of
 * each kind declares the fieldValidation parameter, so kubectl validates on the server
 * (fieldValidation=Strict) instead of downloading schemas.
 */
function openApiGroupVersion(base: string): unknown {
  const paths: Record<string, unknown> = {};
  for (const t of FAKE_RESOURCE_TYPES.filter((x) => basePath(x) === base)) {
    const ns = t.namespaced ? '/namespaces/{namespace}' : '';
    paths[`${base}${ns}/${t.plural}/{name}`] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: {},
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'fake', version: base }, paths };
}

/** The CRDs of the served Istio kinds: kubectl lists them to tell a CRD from an unknown kind. */
function crdList(): unknown {
  const items = FAKE_RESOURCE_TYPES.filter((t) => t.group).map((t) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${t.plural}.${t.group}` },
    spec: { group: t.group, names: { kind: t.kind, plural: t.plural }, scope: 'Namespaced', versions: [{ name: t.version, served: true, storage: true }] },
  }));
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList', metadata: {}, items };
}

function status(code: number, reason: string, message: string, details?: unknown): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parseBody(text: string, contentType: string): unknown {
  if (!text) return undefined;
  if (contentType.includes('yaml')) return parseYaml(text);
  return JSON.parse(text);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface Route {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
}

/** Matches /api/v1/namespaces/NS/PLURAL[/NAME] and /apis/G/V/[namespaces/NS/]PLURAL[/NAME]. */
function route(path: string): Route | undefined {
  for (const t of FAKE_RESOURCE_TYPES) {
    const base = basePath(t);
    if (!path.startsWith(`${base}/`)) continue;
    const parts = path.slice(base.length + 1).split('/');
    let namespace: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3 && t.namespaced) {
      namespace = parts[1];
      parts.splice(0, 2);
    }
    if (parts[0] !== t.plural || parts.length > 2) continue;
    return { type: t, namespace, name: parts[1] };
  }
  return undefined;
}

function keyOf(r: Route, name: string): string {
  return `${r.namespace ?? ''}/${r.type.plural}/${name}`;
}

function stamp(obj: KubeObject, r: Route, previous: KubeObject | undefined, counter: () => number): KubeObject {
  const meta = { ...obj.metadata };
  meta.namespace = r.namespace;
  if (!r.type.namespaced) delete meta.namespace;
  meta.uid = previous?.metadata.uid ?? `uid-${obj.metadata.name}`;
  meta.creationTimestamp = previous?.metadata.creationTimestamp ?? '2025-01-01T00:00:00Z';
  meta.resourceVersion = String(counter());
  meta.generation = 1 + Number((previous?.metadata.generation as number | undefined) ?? 0);
  return { ...obj, apiVersion: groupVersion(r.type), kind: r.type.kind, metadata: meta };
}

export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const requests: KubeRequest[] = [];
  const objects = new Map<string, KubeObject>();
  const waiters: Array<{ pred: (r: KubeRequest) => boolean; resolve: (r: KubeRequest) => void }> = [];
  let version = 100;
  const nextVersion = (): number => ++version;

  const record = (r: KubeRequest): void => {
    requests.push(r);
    for (const w of [...waiters]) {
      if (w.pred(r)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
    }
  };

  const handleObject = (req: KubeRequest, res: ServerResponse, r: Route): void => {
    const dryRun = req.query.dryRun === 'All';
    const name = r.name;
    if (req.method === 'GET') {
      if (!name) {
        const items = [...objects.entries()].filter(([k]) => k.startsWith(`${r.namespace ?? ''}/${r.type.plural}/`)).map(([, o]) => o);
        return sendJson(res, 200, { kind: `${r.type.kind}List`, apiVersion: groupVersion(r.type), metadata: { resourceVersion: String(version) }, items });
      }
      const found = objects.get(keyOf(r, name));
      if (!found) return sendJson(res, 404, status(404, 'NotFound', `${r.type.plural}.${r.type.group} "${name}" not found`, { name, group: r.type.group, kind: r.type.plural }));
      return sendJson(res, 200, found);
    }
    let candidate: KubeObject;
    let previous: KubeObject | undefined;
    let created = false;
    if (req.method === 'POST') {
      const body = req.body as KubeObject;
      if (objects.has(keyOf(r, body.metadata.name))) {
        return sendJson(res, 409, status(409, 'AlreadyExists', `${r.type.plural}.${r.type.group} "${body.metadata.name}" already exists`));
      }
      candidate = stamp(body, r, undefined, nextVersion);
      created = true;
    } else if (req.method === 'PATCH' && name) {
      previous = objects.get(keyOf(r, name));
      if (req.contentType.startsWith('application/apply-patch')) {
        const body = req.body as KubeObject;
        const conflicts = req.query.force === 'true' || !previous ? [] : (options.conflicts?.(body) ?? []);
        if (conflicts.length > 0) {
          const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${groupVersion(r.type)}: ${c.field}`);
          const message = conflicts.length === 1 ? `Apply failed with 1 conflict: ${lines[0]}` : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
          return sendJson(res, 409, status(409, 'Conflict', message, { causes: conflicts.map((c, i) => ({ type: 'FieldManagerConflict', message: lines[i], field: c.field })) }));
        }
        candidate = stamp(mergePatch(previous ?? {}, body) as KubeObject, r, previous, nextVersion);
        created = !previous;
      } else {
        if (!previous) return sendJson(res, 404, status(404, 'NotFound', `${r.type.plural}.${r.type.group} "${name}" not found`));
        candidate = stamp(mergePatch(previous, req.body) as KubeObject, r, previous, nextVersion);
      }
    } else {
      return sendJson(res, 405, status(405, 'MethodNotAllowed', `${req.method} is not supported by the fake API server`));
    }
    const denial = options.deny?.(candidate);
    if (denial) {
      return sendJson(res, 400, status(400, 'BadRequest', `admission webhook "validation.istio.io" denied the request: ${denial}`));
    }
    if (!dryRun) objects.set(keyOf(r, candidate.metadata.name), candidate);
    sendJson(res, created ? 201 : 200, candidate);
  };

  const handle = (req: KubeRequest, res: ServerResponse): void => {
    if (options.stall?.(req)) return; // never answers; close() ends the connection
    const p = req.path;
    if (p === '/api') return sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/apis') return sendJson(res, 200, apiGroupList());
    if (p === '/apis/apiextensions.k8s.io/v1/customresourcedefinitions') return sendJson(res, 200, crdList());
    if (p === '/openapi/v2') {
      // kubectl asks for the protobuf form; zero bytes are a valid, empty OpenAPI v2 document.
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' });
      res.end();
      return;
    }
    if (p === '/openapi/v3') return sendJson(res, 200, openApiRoot());
    if (p.startsWith('/openapi/v3/')) return sendJson(res, 200, openApiGroupVersion(p.slice('/openapi/v3'.length)));
    const proxy = /^\/api\/v1\/namespaces\/([^/]+)\/services\/(?:(https?):)?([^/:]+):([^/]+)\/proxy\/?(.*)$/.exec(p);
    if (proxy && req.method === 'GET') {
      const [, namespace, scheme = 'http', service, port, path] = proxy;
      if (!options.serviceProxy) return sendJson(res, 503, status(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`));
      const body = options.serviceProxy({ namespace, service, port, scheme, path });
      if (body === undefined) return sendJson(res, 404, status(404, 'NotFound', `services "${service}" not found`));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
      return;
    }
    if (p.startsWith('/api/v1/namespaces/') && req.method === 'GET' && p.split('/').length === 5) {
      // Every namespace exists: kubectl checks the namespace before creating in it.
      const name = p.split('/')[4];
      return sendJson(res, 200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: `ns-${name}`, resourceVersion: '1' }, status: { phase: 'Active' } });
    }
    if (p === '/version') return sendJson(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-fake', platform: 'linux/amd64' });
    for (const t of FAKE_RESOURCE_TYPES) {
      const gv = groupVersion(t);
      if (p === basePath(t)) return sendJson(res, 200, apiResourceList(gv, FAKE_RESOURCE_TYPES.filter((x) => groupVersion(x) === gv)));
    }
    const r = route(p);
    if (r) return handleObject(req, res, r);
    sendJson(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${p})`));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const contentType = String(req.headers['content-type'] ?? '');
      let body: unknown;
      try {
        body = parseBody(Buffer.concat(chunks).toString('utf8'), contentType);
      } catch {
        return sendJson(res, 400, status(400, 'BadRequest', 'the fake API server could not parse the request body'));
      }
      const kreq: KubeRequest = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType, body };
      record(kreq);
      handle(kreq, res);
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    objects,
    waitForRequest: (pred) => {
      const seen = requests.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    seed: (obj) => {
      const t = FAKE_RESOURCE_TYPES.find((x) => x.kind === obj.kind && groupVersion(x) === obj.apiVersion);
      if (!t) throw new Error(`the fake API server does not serve ${obj.apiVersion} ${obj.kind}`);
      const r: Route = { type: t, namespace: t.namespaced ? (obj.metadata.namespace ?? 'default') : undefined, name: obj.metadata.name };
      objects.set(keyOf(r, obj.metadata.name), stamp(obj, r, undefined, nextVersion));
    },
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
