/**
 * Identification of Kubernetes/Istio documents by apiVersion and kind. The documents the extension
 * handles ("Istio documents") are those of Istio's groups and of the Kubernetes Gateway API group,
 * which Istio 1.30 implements and its documentation uses for every ingress and ambient task.
 */

export interface IstioResource {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** The whole document as plain data (YAML aliases resolved, bounded). */
  object: Record<string, unknown>;
  /** `object.spec` when it is a mapping, else an empty object. */
  spec: Record<string, unknown>;
  /**
   * A plain Kubernetes object (core/v1 Namespace or Service) kept only as context for
   * cross-resource rules (their labels: `istio.io/use-waypoint`, namespace selectors). It is never
   * validated and is not an Istio document: a file of such objects gets no diagnostics.
   */
  context?: true;
}

/** core/v1 kinds read as context (see IstioResource.context). */
const CONTEXT_KINDS: ReadonlySet<string> = new Set(['Namespace', 'Service']);

/** Is this a document the extension validates (Istio or Gateway API), not a context object? */
export function isIstioDocument(r: IstioResource | undefined): r is IstioResource {
  return r !== undefined && r.context !== true;
}

/** Groups the engine validates against Istio 1.30's CRDs. */
export const CURRENT_ISTIO_GROUPS: ReadonlySet<string> = new Set([
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
]);

/** The Kubernetes Gateway API group (standard channel v1.5.1, the version Istio 1.30 requires). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Groups validated against CRD schemas: Istio's current groups and the Gateway API group. */
export const VALIDATED_GROUPS: ReadonlySet<string> = new Set([...CURRENT_ISTIO_GROUPS, GATEWAY_API_GROUP]);

/** Groups Istio removed (1.6 for authentication/rbac, 1.8 for Mixer's config.istio.io). */
export const REMOVED_ISTIO_GROUPS: ReadonlySet<string> = new Set([
  'authentication.istio.io',
  'rbac.istio.io',
  'config.istio.io',
]);

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function isIstioGroup(group: string): boolean {
  return CURRENT_ISTIO_GROUPS.has(group) || REMOVED_ISTIO_GROUPS.has(group) || group.endsWith('.istio.io');
}

export function isGatewayApiGroup(group: string): boolean {
  return group === GATEWAY_API_GROUP;
}

/** Does the extension handle documents of this group (Istio's groups and the Gateway API)? */
export function isHandledGroup(group: string): boolean {
  return isIstioGroup(group) || isGatewayApiGroup(group);
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Returns the Istio or Gateway API resource a document describes, a context object (core/v1
 * Namespace or Service, flagged `context`), or undefined for other documents.
 */
export function identifyResource(object: unknown): IstioResource | undefined {
  const obj = asRecord(object);
  if (!obj) return undefined;
  const apiVersion = obj.apiVersion;
  if (typeof apiVersion !== 'string') return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const context = group === '' && version === 'v1' && CONTEXT_KINDS.has(kind);
  if (!context && !isHandledGroup(group)) return undefined;
  const metadata = asRecord(obj.metadata);
  return {
    ...(context ? { context: true as const } : {}),
    apiVersion,
    group,
    version,
    kind,
    name: typeof metadata?.name === 'string' ? metadata.name : undefined,
    namespace: typeof metadata?.namespace === 'string' ? metadata.namespace : undefined,
    object: obj,
    spec: asRecord(obj.spec) ?? {},
  };
}

/**
 * The key the workspace index files a resource under: the kind for Istio's groups (Istio's kind
 * names are unique across them, so `ofKind('Gateway')` keeps meaning Istio's Gateway), and
 * `Kind.group` for the Gateway API (`Gateway.gateway.networking.k8s.io`) and `Kind.core` for the
 * core/v1 context objects (`Namespace.core`).
 */
export function indexKey(group: string, kind: string): string {
  return isIstioGroup(group) ? kind : `${kind}.${group === '' ? 'core' : group}`;
}

/** The index key of a core/v1 context kind, e.g. coreKey('Namespace'). */
export function coreKey(kind: string): string {
  return indexKey('', kind);
}

/** The index key of a Gateway API kind, e.g. gatewayApiKey('HTTPRoute'). */
export function gatewayApiKey(kind: string): string {
  return indexKey(GATEWAY_API_GROUP, kind);
}
