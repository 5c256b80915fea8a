/** Identification of Kubernetes/Istio documents by apiVersion and kind. */

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
}

/** Groups the engine validates against Istio 1.30's CRDs. */
export const CURRENT_ISTIO_GROUPS: ReadonlySet<string> = new Set([
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
]);

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

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Returns the Istio resource a document describes, or undefined for non-Istio documents. */
export function identifyResource(object: unknown): IstioResource | undefined {
  const obj = asRecord(object);
  if (!obj) return undefined;
  const apiVersion = obj.apiVersion;
  if (typeof apiVersion !== 'string') return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  if (!isIstioGroup(group)) return undefined;
  const metadata = asRecord(obj.metadata);
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  return {
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
