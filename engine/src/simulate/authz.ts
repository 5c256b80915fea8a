/**
 * Evaluation of one AuthorizationPolicy rule against a request, with Istio's semantics
 * (pilot/pkg/security/authz/model/model.go): a rule matches when any `from` matches (no from:
 * any source), any `to` matches (no to: any operation) and every `when` condition matches.
 * Each field: at least one of `values` (if any) and none of `notValues` (if any).
 * Invalid values: an ALLOW rule is skipped; DENY/AUDIT/CUSTOM drop the value (a wider policy).
 * Unknown `when` keys: the rule is skipped (istiod: "skipped invalid rule").
 */
import type { JsonObject } from '../jwt/decode';
import {
  claimPath,
  headerName,
  matchCidr,
  matchClaim,
  matchHeader,
  matchHost,
  matchNamespace,
  matchPath,
  matchPort,
  matchPrincipal,
  matchRequestPrincipal,
  matchServiceAccount,
  matchString,
  matchTrustDomain,
} from './match';
import type { RequestView } from './request';
import { isObj, stringsOf, type Obj } from '../jwt/plain';

type ValueTest = (value: string) => boolean | undefined;

export interface EvalContext {
  req: RequestView;
  /** Claims of the verified token (undefined: no request principal). */
  claims?: JsonObject;
  policyNamespace: string;
  /** ALLOW: invalid values skip the rule; other actions ignore them. */
  strict: boolean;
}

export interface RuleResult {
  matched: boolean;
  /** Why istiod would not generate the rule. */
  skipped?: string;
  /** The first condition that did not match (for traces). */
  mismatch?: string;
  /** Conditions that cannot be evaluated offline (treated as not matching). */
  notes: string[];
}


class InvalidRule extends Error {}

/** One field: (any of values) and not (any of notValues). Throws InvalidRule in strict mode. */
function evalField(values: string[], notValues: string[], test: ValueTest, ctx: EvalContext, what: string): boolean {
  const run = (list: string[]): boolean[] => {
    const out: boolean[] = [];
    for (const v of list) {
      const r = test(v);
      if (r === undefined) {
        if (ctx.strict) throw new InvalidRule(`${what}: ${JSON.stringify(v)} is not a valid value`);
        continue;
      }
      out.push(r);
    }
    return out;
  };
  const pos = run(values);
  const neg = run(notValues);
  return (pos.length === 0 || pos.some(Boolean)) && !neg.some(Boolean);
}

function str(o: JsonObject | undefined, k: string): string | undefined {
  return o && typeof o[k] === 'string' ? (o[k] as string) : undefined;
}

function claimAt(claims: JsonObject | undefined, path: string[]): unknown {
  let v: unknown = claims;
  for (const p of path) v = isObj(v) ? v[p] : undefined;
  return v;
}

function sourceTests(ctx: EvalContext): Record<string, [string, ValueTest]> {
  const { req, claims } = ctx;
  return {
    principals: ['notPrincipals', (v) => matchPrincipal(v, req.spiffe)],
    requestPrincipals: ['notRequestPrincipals', (v) => matchRequestPrincipal(v, str(claims, 'iss'), str(claims, 'sub'))],
    namespaces: ['notNamespaces', (v) => matchNamespace(v, req.spiffe)],
    serviceAccounts: ['notServiceAccounts', (v) => matchServiceAccount(v, ctx.policyNamespace, req.spiffe)],
    trustDomains: ['notTrustDomains', (v) => matchTrustDomain(v, req.spiffe)],
    ipBlocks: ['notIpBlocks', (v) => matchCidr(v, req.sourceIp)],
    remoteIpBlocks: ['notRemoteIpBlocks', (v) => matchCidr(v, req.remoteIp)],
  };
}

function operationTests(ctx: EvalContext): Record<string, [string, ValueTest]> {
  const { req } = ctx;
  return {
    hosts: ['notHosts', (v) => matchHost(v, req.host)],
    ports: ['notPorts', (v) => matchPort(v, req.port)],
    methods: ['notMethods', (v) => matchHeader(v, req.method)],
    paths: ['notPaths', (v) => matchPath(v, req.path)],
  };
}

/** The test for a `when` key, or undefined for keys Istio does not know. */
function whenTest(key: string, ctx: EvalContext, notes: string[]): ValueTest | undefined {
  const { req, claims } = ctx;
  const exact: Record<string, ValueTest> = {
    'source.ip': (v) => matchCidr(v, req.sourceIp),
    'remote.ip': (v) => matchCidr(v, req.remoteIp),
    'source.namespace': (v) => matchNamespace(v, req.spiffe),
    'source.principal': (v) => matchPrincipal(v, req.spiffe),
    'source.serviceAccount': (v) => matchServiceAccount(v, ctx.policyNamespace, req.spiffe),
    'source.trustDomain': (v) => matchTrustDomain(v, req.spiffe),
    'request.auth.principal': (v) => matchRequestPrincipal(v, str(claims, 'iss'), str(claims, 'sub')),
    'request.auth.audiences': (v) => matchClaim(v, claims?.aud),
    'request.auth.presenter': (v) => matchClaim(v, claims?.azp),
    'destination.ip': (v) => matchCidr(v, req.destinationIp),
    'destination.port': (v) => matchPort(v, req.port),
    'connection.sni': (v) => matchString(v, req.sni),
  };
  if (key in exact) return exact[key];
  if (key.startsWith('request.headers')) {
    const name = headerName(key, 'request.headers');
    return name === undefined ? undefined : (v) => matchHeader(v, req.header(name));
  }
  if (key.startsWith('request.auth.claims')) {
    const path = claimPath(key, 'request.auth.claims');
    return path === undefined ? undefined : (v) => matchClaim(v, claimAt(claims, path));
  }
  if (key.startsWith('experimental.envoy.filters.')) {
    notes.push(`${key} reads Envoy filter metadata, which the simulator does not have: treated as not matching.`);
    return () => false;
  }
  return undefined;
}

function evalFields(block: Obj, tests: Record<string, [string, ValueTest]>, ctx: EvalContext, where: string): string | undefined {
  for (const [field, [notField, test]] of Object.entries(tests)) {
    const values = stringsOf(block[field]);
    const notValues = stringsOf(block[notField]);
    if (values.length === 0 && notValues.length === 0) continue;
    if (!evalField(values, notValues, test, ctx, `${where}.${field}`)) return `${where}.${values.length ? field : notField}`;
  }
  return undefined;
}

/** The first `from`/`to` entry that matches, or the reason none does. */
function anyBlock(list: unknown, inner: 'source' | 'operation', tests: Record<string, [string, ValueTest]>, ctx: EvalContext, where: string): string | undefined {
  const blocks = Array.isArray(list) ? list : [];
  if (blocks.length === 0) return undefined;
  const misses: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = isObj(blocks[i]) && isObj((blocks[i] as Obj)[inner]) ? ((blocks[i] as Obj)[inner] as Obj) : {};
    const miss = evalFields(b, tests, ctx, `${where}[${i}].${inner}`);
    if (miss === undefined) return undefined;
    misses.push(miss);
  }
  return misses.join(', ');
}

/** Evaluates one rule of a policy against the request. */
export function evaluateRule(rule: unknown, ctx: EvalContext, where: string): RuleResult {
  const notes: string[] = [];
  if (!isObj(rule)) return { matched: false, skipped: 'the rule is null', notes };
  try {
    const conditions = Array.isArray(rule.when) ? rule.when.filter(isObj) : [];
    const tests: Array<{ key: string; test: ValueTest; values: string[]; notValues: string[] }> = [];
    for (const c of conditions) {
      const key = typeof c.key === 'string' ? c.key : '';
      const test = whenTest(key, ctx, notes);
      if (!test) return { matched: false, skipped: `unknown when key ${JSON.stringify(key)}`, notes };
      tests.push({ key, test, values: stringsOf(c.values), notValues: stringsOf(c.notValues) });
    }
    const fromMiss = anyBlock(rule.from, 'source', sourceTests(ctx), ctx, `${where}.from`);
    const toMiss = anyBlock(rule.to, 'operation', operationTests(ctx), ctx, `${where}.to`);
    let whenMiss: string | undefined;
    for (const t of tests) {
      if (!evalField(t.values, t.notValues, t.test, ctx, `${where}.when[${t.key}]`) && whenMiss === undefined) whenMiss = `${where}.when[${t.key}]`;
    }
    const mismatch = fromMiss ?? toMiss ?? whenMiss;
    return { matched: mismatch === undefined, mismatch, notes };
  } catch (err) {
    if (err instanceof InvalidRule) return { matched: false, skipped: err.message, notes };
    throw err;
  }
}

/** strconv.ParseBool, which istiod applies to the istio.io/dry-run annotation. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * Whether istiod builds the policy as dry-run (shadow rules): the annotation parsed with
 * strconv.ParseBool ("1", "t", "T", "true"...). A value ParseBool refuses leaves the policy
 * enforced (istiod logs the error; its webhook rejects such ALLOW/DENY policies).
 */
export function dryRunOf(object: Record<string, unknown> | undefined): { dryRun: boolean; note?: string } {
  const meta = object?.metadata;
  const annotations = isObj(meta) && isObj(meta.annotations) ? meta.annotations : undefined;
  if (!annotations || !('istio.io/dry-run' in annotations)) return { dryRun: false };
  const value = String(annotations['istio.io/dry-run']);
  if (GO_TRUE.has(value)) return { dryRun: true };
  if (GO_FALSE.has(value)) return { dryRun: false };
  return { dryRun: false, note: `istio.io/dry-run ${JSON.stringify(value.slice(0, 40))} is not a boolean strconv.ParseBool accepts ("true", "1", "t"...): istiod enforces the policy (and its webhook rejects ALLOW/DENY policies with this value)` };
}
