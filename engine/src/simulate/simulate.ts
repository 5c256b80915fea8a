/**
 * The request simulator: which policies the proxy (sidecar, Gateway API gateway or waypoint) enforces, jwt_authn (RequestAuthentication),
 * then the authorization filters in Istio's order CUSTOM → DENY → ALLOW (AUDIT never decides).
 */
import { jwtRulesOf } from '../jwt/rules';
import { DEFAULT_SETTINGS } from '../rules/rule';
import { authenticate } from './authn';
import { dryRunOf, evaluateRule, type EvalContext } from './authz';
import { prepareRequest, sourceIdentity, type RequestView } from './request';
import { labelOf, nsOf, selectForProxy } from './select';
import { resolveProxy } from './target';
import type { MatchedPolicy, SimRequest, SimResource, SimSettings, SimTarget, SimulationResult } from './types';

export const RBAC_DENIED = 'RBAC: access denied';
const ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const;
type Action = (typeof ACTIONS)[number];

interface PolicyView {
  resource: SimResource;
  namespace: string;
  name: string;
  action: Action;
  dryRun: boolean;
  /** Why an istio.io/dry-run annotation is ignored, if it is. */
  dryRunNote?: string;
  label: string;
}

function actionOf(r: SimResource): Action {
  const a = r.spec.action;
  return typeof a === 'string' && (ACTIONS as readonly string[]).includes(a) ? (a as Action) : 'ALLOW';
}

function viewPolicy(r: SimResource, defaultNamespace: string): PolicyView {
  const namespace = nsOf(r, defaultNamespace);
  const name = r.name ?? '';
  const { dryRun, note } = dryRunOf(r.object);
  return { resource: r, namespace, name, action: actionOf(r), dryRun, dryRunNote: note, label: labelOf(r, defaultNamespace) };
}

/** The first rule of the policy that matches (index), tracing each rule. */
function firstMatchingRule(p: PolicyView, ctx: Omit<EvalContext, 'policyNamespace' | 'strict'>, trace: string[]): number | undefined {
  const rules = Array.isArray(p.resource.spec.rules) ? p.resource.spec.rules : [];
  const tag = `${p.action}${p.dryRun ? ' (dry-run)' : ''} ${p.label}`;
  if (rules.length === 0) {
    trace.push(`${tag}: no rules, matches nothing${p.action === 'ALLOW' ? ' (an ALLOW policy without rules denies every request)' : ''}.`);
    return undefined;
  }
  for (let i = 0; i < rules.length; i++) {
    const r = evaluateRule(rules[i], { ...ctx, policyNamespace: p.namespace, strict: p.action === 'ALLOW' }, `rules[${i}]`);
    for (const n of r.notes) trace.push(`${tag} rules[${i}]: ${n}`);
    if (r.skipped) trace.push(`${tag} rules[${i}]: skipped by istiod (${r.skipped}).`);
    else if (r.matched) {
      trace.push(`${tag} rules[${i}] matches.`);
      return i;
    } else trace.push(`${tag} rules[${i}] does not match (${r.mismatch}).`);
  }
  return undefined;
}

function matched(p: PolicyView, rule: number): MatchedPolicy {
  return { namespace: p.namespace, name: p.name, action: p.action, rule };
}

function byName(a: PolicyView, b: PolicyView): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

function providerOf(p: PolicyView): string {
  const provider = p.resource.spec.provider as Record<string, unknown> | undefined;
  return typeof provider?.name === 'string' ? provider.name : '(no provider)';
}

function authorize(policies: PolicyView[], req: RequestView, claims: EvalContext['claims'], trace: string[]): Omit<SimulationResult, 'trace' | 'signatureChecked'> {
  const ctx = { req, claims };
  const group = (action: Action, dryRun: boolean): PolicyView[] => policies.filter((p) => p.action === action && p.dryRun === dryRun).sort(byName);
  for (const p of policies) if (p.dryRunNote) trace.push(`${p.label}: ${p.dryRunNote}.`);
  for (const p of policies.filter((x) => x.dryRun).sort(byName)) {
    const i = firstMatchingRule(p, ctx, trace);
    trace.push(`${p.label} is dry-run (istio.io/dry-run): ${i !== undefined ? `it would match rules[${i}]` : 'it would not match'}, but it is not enforced.`);
  }
  for (const p of group('AUDIT', false)) {
    const i = firstMatchingRule(p, ctx, trace);
    if (i !== undefined) trace.push(`${p.label}: AUDIT only logs the request; it does not change the decision.`);
  }
  for (const p of group('CUSTOM', false)) {
    const i = firstMatchingRule(p, ctx, trace);
    if (i !== undefined) {
      trace.push(`${p.label}: the request would be sent to the external authorizer ${providerOf(p)}, which cannot be evaluated offline; the simulator assumes it allows the request.`);
    }
  }
  for (const p of group('DENY', false)) {
    const i = firstMatchingRule(p, ctx, trace);
    if (i !== undefined) return { status: 403, allowed: false, reason: `${RBAC_DENIED}: DENY policy ${p.namespace}/${p.name} rules[${i}] matches`, matchedPolicy: matched(p, i) };
  }
  const allows = group('ALLOW', false);
  if (allows.length === 0) {
    trace.push('No enforced ALLOW policy applies: the request is allowed.');
    return { status: 200, allowed: true, reason: 'allowed: no DENY policy matches and no ALLOW policy applies to the proxy', matchedPolicy: null };
  }
  for (const p of allows) {
    const i = firstMatchingRule(p, ctx, trace);
    if (i !== undefined) return { status: 200, allowed: true, reason: `allowed by ALLOW policy ${p.namespace}/${p.name} rules[${i}]`, matchedPolicy: matched(p, i) };
  }
  const names = allows.map((p) => `${p.namespace}/${p.name}`).join(', ');
  return { status: 403, allowed: false, reason: `${RBAC_DENIED}: ALLOW policies apply (${names}) but none matches`, matchedPolicy: null };
}

/**
 * Simulates one request to a workload. Pure apart from fetching jwksUri / OIDC discovery keys
 * (through engine/src/jwks, skipped when `settings.offline`). Never throws on bad resources.
 */
export async function simulate(resources: readonly SimResource[], target: SimTarget, request: SimRequest, settings: SimSettings = {}): Promise<SimulationResult> {
  const rootNamespace = settings.rootNamespace ?? DEFAULT_SETTINGS.rootNamespace;
  const defaultNamespace = settings.defaultNamespace ?? DEFAULT_SETTINGS.defaultNamespace;
  const now = settings.now ?? Date.now();
  const proxy = resolveProxy(target, resources, defaultNamespace);
  const trace: string[] = [`${proxy.describe}; root namespace ${rootNamespace}.`, ...proxy.notes];
  const identity = sourceIdentity(request);
  if (identity.note) trace.push(identity.note);
  const prepared = prepareRequest(request, settings.pathNormalization);
  trace.push(...prepared.trace);
  if (!prepared.ok) {
    trace.push(`Decision: 400 (${prepared.reason}).`);
    return { status: 400, allowed: false, reason: prepared.reason, matchedPolicy: null, signatureChecked: null, trace };
  }
  const req = prepared.view;

  const ras = selectForProxy(resources, 'RequestAuthentication', proxy, rootNamespace, defaultNamespace);
  trace.push(...ras.trace);
  const auth = await authenticate(jwtRulesOf(ras.applies, defaultNamespace), req, { offline: settings.offline, jwks: settings.jwks }, now);
  trace.push(...auth.trace);
  if (auth.kind === 'rejected') {
    return { status: auth.status ?? 401, allowed: false, reason: auth.reason ?? 'Jwt verification fails', matchedPolicy: null, signatureChecked: null, trace };
  }
  const signatureChecked = auth.kind === 'authenticated' ? auth.signatureChecked === true : null;

  const aps = selectForProxy(resources, 'AuthorizationPolicy', proxy, rootNamespace, defaultNamespace);
  trace.push(...aps.trace);
  const decision = authorize(aps.applies.map((r) => viewPolicy(r, defaultNamespace)), req, auth.claims, trace);
  trace.push(`Decision: ${decision.status} (${decision.reason}).`);
  return { ...decision, signatureChecked, trace };
}
