/**
 * Request simulator (issue 7): what Istio's sidecar, Gateway API gateway or waypoint would answer
 * to one request, and why (issue 16: policies attached with targetRefs).
 * Semantics and Istio sources: docs/simulate.md.
 *
 * API
 * - `simulate(resources, target, request, settings?)` → Promise<SimulationResult>
 *   `{ status: 200|400|401|403, allowed, reason, matchedPolicy: { namespace, name, action, rule } | null,
 *   signatureChecked: boolean | null, trace: string[] }` (400: Envoy's codec or path normalisation
 *   rejects the request line before any policy).
 *   resources: RequestAuthentication / AuthorizationPolicy objects (e.g. every
 *   `entry.analysis.resource` of the workspace's FileModels; other kinds are ignored);
 *   target: `{ namespace, labels }` of a workload, `{ kind: 'gateway', namespace, name }` or
 *   `{ kind: 'waypoint', service: { namespace, name }, waypoint? }`; request: method, path (with query), host,
 *   port, headers, source principal / namespace / ip, token (sent as Authorization: Bearer);
 *   settings: rootNamespace, defaultNamespace, offline (no JWKS fetch: signatures of jwksUri
 *   rules are not checked, the trace and `signatureChecked: false` say so), jwks (getJwks options
 *   and cache), now (epoch ms), pathNormalization (meshConfig.pathNormalization, default BASE).
 *   Traces never contain a whole token.
 * - `resourcesOfText(text)`: the Istio resources of a YAML file (through FileModel);
 *   `objectsOfText(text)`: every Kubernetes object of it (Gateways, Services and Namespaces tell
 *   a gateway's class and infrastructure labels and which waypoint a Service uses).
 * - Building blocks for editors: `selectPolicies` (which policies apply and why),
 *   `evaluateRule` (one AuthorizationPolicy rule), the matchers in match.ts.
 */
export { simulate, RBAC_DENIED } from './simulate';
export { resourcesOfText, objectsOfText } from './load';
export { attachedTargets, describeTarget, type TargetChoice } from './targets';
export { selectPolicies, selectForProxy, targetRefsOf } from './select';
export { resolveProxy, gatewayPodLabels, waypointOfService, GATEWAY_NAME_LABEL, GATEWAY_CLASS_LABEL, WAYPOINT_CLASS, type ProxyView } from './target';
export { evaluateRule, type EvalContext, type RuleResult } from './authz';
export { authenticate, extractToken, normalizeClaims, SPACE_DELIMITED_CLAIMS, type AuthOutcome } from './authn';
export { prepareRequest, viewOf, type PreparedRequest, type RequestView } from './request';
export { DEFAULT_PATH_NORMALIZATION, normalizeRequestLine, PATH_NORMALIZATIONS, type PathNormalization } from './normalize';
export * from './match';
export type { GatewayTarget, MatchedPolicy, ObjectRef, SimRequest, SimResource, SimSettings, SimTarget, SimulationResult, WaypointTarget, WorkloadTarget } from './types';
