/** What Istio removed, when, and what replaces it: the vocabulary of `removed-api` and `migrate`. */

export interface RemovedKind {
  what: string;
  removedIn: string;
  replacement: string;
  docs: string;
}

export const MIGRATION_DOCS = 'https://istio.io/latest/blog/2019/v1beta1-authorization-policy/';
const AUTHN_DOCS = 'https://istio.io/latest/docs/reference/config/security/request_authentication/';
const TELEMETRY_DOCS = 'https://istio.io/latest/docs/reference/config/telemetry/';
const MIXER_REMOVED = 'Istio 1.8 (Mixer deprecated in 1.5)';
const RBAC_REMOVED = 'Istio 1.6 (deprecated in 1.4)';
const AUTHN_REMOVED = 'Istio 1.6 (deprecated in 1.5)';

function mixer(what: string, replacement: string, docs = TELEMETRY_DOCS): RemovedKind {
  return { what, removedIn: MIXER_REMOVED, replacement, docs };
}

const MIXER_TEMPLATE = mixer(
  'Mixer template instance (attributes mapped into a metric, log entry, quota or check)',
  'Telemetry (telemetry.istio.io/v1) metrics overrides and accessLogging; Envoy produces the standard metrics and logs itself',
);
const MIXER_ADAPTER = mixer(
  'Mixer adapter handler (Prometheus, stdio, Stackdriver, denier, list checker, quota...)',
  'Telemetry (telemetry.istio.io/v1) with meshConfig extensionProviders for metrics, logs and traces; AuthorizationPolicy for denier/list checks',
);

/** Removed kinds by `group/Kind` (or `group/*` for a whole removed group). */
export const REMOVED_KINDS: Record<string, RemovedKind> = {
  'authentication.istio.io/Policy': {
    what: 'namespace/service authentication policy (JWT origins and peer mTLS)',
    removedIn: AUTHN_REMOVED,
    replacement: 'RequestAuthentication (security.istio.io/v1) for JWT, PeerAuthentication for mTLS, and an AuthorizationPolicy to require a token',
    docs: AUTHN_DOCS,
  },
  'authentication.istio.io/MeshPolicy': {
    what: 'mesh-wide authentication policy',
    removedIn: AUTHN_REMOVED,
    replacement: 'PeerAuthentication in the root namespace (istio-system) for mesh-wide mTLS, RequestAuthentication for JWT',
    docs: AUTHN_DOCS,
  },
  'rbac.istio.io/ServiceRole': {
    what: 'RBAC role (permissions on services)',
    removedIn: RBAC_REMOVED,
    replacement: 'AuthorizationPolicy (security.istio.io/v1): its rules[].to.operation',
    docs: MIGRATION_DOCS,
  },
  'rbac.istio.io/ServiceRoleBinding': {
    what: 'RBAC binding of subjects to a ServiceRole',
    removedIn: RBAC_REMOVED,
    replacement: 'AuthorizationPolicy (security.istio.io/v1): its rules[].from.source and when',
    docs: MIGRATION_DOCS,
  },
  'rbac.istio.io/RbacConfig': {
    what: 'switch that enabled Istio RBAC per namespace or service',
    removedIn: RBAC_REMOVED,
    replacement: 'an allow-nothing AuthorizationPolicy (empty spec) in each namespace that must deny by default',
    docs: MIGRATION_DOCS,
  },
  'rbac.istio.io/ClusterRbacConfig': {
    what: 'mesh-wide switch that enabled Istio RBAC',
    removedIn: RBAC_REMOVED,
    replacement: 'an allow-nothing AuthorizationPolicy (empty spec) in each namespace that must deny by default, or in the root namespace',
    docs: MIGRATION_DOCS,
  },
  'config.istio.io/handler': MIXER_ADAPTER,
  'config.istio.io/instance': MIXER_TEMPLATE,
  'config.istio.io/rule': mixer(
    'Mixer rule (a match expression that sent instances to handlers)',
    'Telemetry (telemetry.istio.io/v1) with a selector or match per provider; EnvoyFilter or WasmPlugin for custom per-request behaviour',
  ),
  'config.istio.io/QuotaSpec': mixer(
    'Mixer quota specification (request cost for rate limiting)',
    "Envoy rate limiting: local rate limits or a global rate limit service configured with EnvoyFilter (see Istio's rate limiting task)",
    'https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/',
  ),
  'config.istio.io/QuotaSpecBinding': mixer(
    'Mixer quota binding (QuotaSpec to services)',
    "Envoy rate limiting: local rate limits or a global rate limit service configured with EnvoyFilter (see Istio's rate limiting task)",
    'https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/',
  ),
  'config.istio.io/attributemanifest': mixer(
    'Mixer attribute vocabulary',
    'nothing: Envoy attributes are built in and Telemetry/AuthorizationPolicy use them directly',
  ),
  'config.istio.io/adapter': mixer('out-of-process Mixer adapter registration', 'WasmPlugin (extensions.istio.io/v1alpha1), or an external authorizer with a CUSTOM AuthorizationPolicy', 'https://istio.io/latest/docs/reference/config/proxy_extensions/wasm-plugin/'),
  'config.istio.io/template': mixer('out-of-process Mixer template registration', 'WasmPlugin (extensions.istio.io/v1alpha1)', 'https://istio.io/latest/docs/reference/config/proxy_extensions/wasm-plugin/'),
  'config.istio.io/HTTPAPISpec': mixer('Mixer HTTP API attribute specification', 'VirtualService matches and Telemetry; no attribute extraction step exists any more'),
  'config.istio.io/HTTPAPISpecBinding': mixer('Mixer HTTP API specification binding', 'VirtualService matches and Telemetry; no attribute extraction step exists any more'),
  'config.istio.io/*': mixer(
    'Mixer adapter configuration (legacy template or adapter kind)',
    'Telemetry (telemetry.istio.io/v1) for metrics and logs, EnvoyFilter or WasmPlugin for custom behaviour, Envoy rate limiting for quotas',
  ),
};

/** Legacy Mixer kinds named after a template (instances) or an adapter (handlers), before `instance`/`handler`. */
const MIXER_TEMPLATE_KINDS = new Set(['metric', 'logentry', 'tracespan', 'quota', 'listentry', 'checknothing', 'reportnothing', 'authorization', 'kubernetes', 'apikey', 'edge']);
const MIXER_ADAPTER_KINDS = new Set(['prometheus', 'stdio', 'denier', 'listchecker', 'memquota', 'redisquota', 'fluentd', 'stackdriver', 'statsd', 'circonus', 'cloudwatch', 'dogstatsd', 'kubernetesenv', 'opa', 'rbac', 'signalfx', 'solarwinds', 'zipkin', 'bypass', 'noop']);

export function removedKindInfo(group: string, kind: string): RemovedKind | undefined {
  if (group === 'config.istio.io') {
    if (MIXER_TEMPLATE_KINDS.has(kind)) return MIXER_TEMPLATE;
    if (MIXER_ADAPTER_KINDS.has(kind)) return MIXER_ADAPTER;
  }
  return REMOVED_KINDS[`${group}/${kind}`] ?? REMOVED_KINDS[`${group}/*`];
}

/** The one-sentence explanation shared by the diagnostic and the migration notes. */
export function removedMessage(apiVersion: string, group: string, kind: string): string {
  const info = removedKindInfo(group, kind);
  const subject = `${apiVersion} ${kind || '(no kind)'}`;
  return info
    ? `${subject} was removed in ${info.removedIn}: it was the ${info.what}. Clusters answer "no matches for kind". Replace it with ${info.replacement}. See ${info.docs}`
    : `${subject}: the API group ${group} was removed from Istio and no current Istio serves it. See ${MIGRATION_DOCS}`;
}
