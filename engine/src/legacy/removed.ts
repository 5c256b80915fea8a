import type { Finding } from '../diagnostics';
import type { ParsedDoc } from '../model/parse';

interface RemovedKind {
  what: string;
  removedIn: string;
  replacement: string;
  docs: string;
}

const MIGRATION_DOCS = 'https://istio.io/latest/blog/2019/v1beta1-authorization-policy/';
const AUTHN_DOCS = 'https://istio.io/latest/docs/reference/config/security/request_authentication/';

/** Removed kinds by `group/Kind` (or `group/*` for a whole removed group). */
export const REMOVED_KINDS: Record<string, RemovedKind> = {
  'authentication.istio.io/Policy': {
    what: 'namespace/service authentication policy (JWT origins and peer mTLS)',
    removedIn: 'Istio 1.6 (deprecated in 1.5)',
    replacement: 'RequestAuthentication (security.istio.io/v1) for JWT, PeerAuthentication for mTLS, and an AuthorizationPolicy to require a token',
    docs: AUTHN_DOCS,
  },
  'authentication.istio.io/MeshPolicy': {
    what: 'mesh-wide authentication policy',
    removedIn: 'Istio 1.6 (deprecated in 1.5)',
    replacement: 'PeerAuthentication in the root namespace (istio-system) for mesh-wide mTLS, RequestAuthentication for JWT',
    docs: AUTHN_DOCS,
  },
  'rbac.istio.io/ServiceRole': {
    what: 'RBAC role (permissions on services)',
    removedIn: 'Istio 1.6 (deprecated in 1.4)',
    replacement: 'AuthorizationPolicy (security.istio.io/v1): its rules[].to.operation',
    docs: MIGRATION_DOCS,
  },
  'rbac.istio.io/ServiceRoleBinding': {
    what: 'RBAC binding of subjects to a ServiceRole',
    removedIn: 'Istio 1.6 (deprecated in 1.4)',
    replacement: 'AuthorizationPolicy (security.istio.io/v1): its rules[].from.source and when',
    docs: MIGRATION_DOCS,
  },
  'rbac.istio.io/RbacConfig': {
    what: 'switch that enabled Istio RBAC per namespace or service',
    removedIn: 'Istio 1.6 (deprecated in 1.4)',
    replacement: 'an allow-nothing AuthorizationPolicy (empty spec) in each namespace that must deny by default',
    docs: MIGRATION_DOCS,
  },
  'rbac.istio.io/ClusterRbacConfig': {
    what: 'mesh-wide switch that enabled Istio RBAC',
    removedIn: 'Istio 1.6 (deprecated in 1.4)',
    replacement: 'an allow-nothing AuthorizationPolicy (empty spec) in each namespace that must deny by default, or in the root namespace',
    docs: MIGRATION_DOCS,
  },
  'config.istio.io/*': {
    what: 'Mixer adapter configuration (handler, instance, rule, quota, attributes)',
    removedIn: 'Istio 1.8 (Mixer deprecated in 1.5)',
    replacement: 'Telemetry (telemetry.istio.io/v1) for metrics and logs, EnvoyFilter or WasmPlugin for custom behaviour, Envoy rate limiting for quotas',
    docs: 'https://istio.io/latest/docs/reference/config/telemetry/',
  },
};

export function removedKindInfo(group: string, kind: string): RemovedKind | undefined {
  return REMOVED_KINDS[`${group}/${kind}`] ?? REMOVED_KINDS[`${group}/*`];
}

export function checkRemovedApi(doc: ParsedDoc, out: Finding[]): void {
  const r = doc.resource;
  if (!r) return;
  const info = removedKindInfo(r.group, r.kind);
  const subject = `${r.apiVersion} ${r.kind || '(no kind)'}`;
  const message = info
    ? `${subject} was removed in ${info.removedIn}: it was the ${info.what}. Clusters answer "no matches for kind". Replace it with ${info.replacement}. See ${info.docs}`
    : `${subject}: the API group ${r.group} was removed from Istio and no current Istio serves it. See ${MIGRATION_DOCS}`;
  out.push({
    code: 'removed-api',
    severity: 'error',
    message,
    range: doc.rangeOf(['apiVersion'], 'value'),
    tags: ['deprecated'],
  });
}
