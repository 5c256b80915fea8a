/** The RequestAuthentication jwtRules checks: inline jwks (sync) and JWKS/OIDC reachability (async). */
import type { Finding, Range } from '../diagnostics';
import type { Path } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import { isPlaceholderText } from '../templates/placeholders';
import { JWKS_CODES, type JwksCode } from './codes';
import { jsonScalarLocator, type JsonScalarLocator } from './inlineRange';
import { analyzeJwksText, type KeySetAnalysis, type KeySetProblem, type KeySummary } from './keys';
import { discoveryUrlOf, getDiscovery, getJwks, staticUrlProblem, type JwksOptions, type JwksResult } from './resolve';

export interface LocatedString {
  value: string;
  /** Document-relative range of the value. */
  range: Range;
  path: Path;
}

/** One spec.jwtRules[i] of a RequestAuthentication. */
export interface JwtRuleRef {
  index: number;
  path: Path;
  issuer?: LocatedString;
  jwksUri?: LocatedString;
  jwks?: LocatedString;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every jwtRule of a RequestAuthentication document with its issuer, jwksUri and inline jwks. */
export function collectJwtRules(doc: ParsedDoc): JwtRuleRef[] {
  const r = doc.resource;
  if (!r || r.kind !== 'RequestAuthentication' || !r.group.startsWith('security.istio.io')) return [];
  const rules = r.spec.jwtRules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((rule: unknown, index: number): JwtRuleRef[] => {
    if (!isRecord(rule)) return [];
    const path: Path = ['spec', 'jwtRules', index];
    const field = (name: string): LocatedString | undefined => {
      const v = rule[name];
      if (typeof v !== 'string' || v === '') return undefined;
      const p = [...path, name];
      // The range is resolved when used (it needs the document's syntax tree).
      return {
        value: v,
        path: p,
        get range(): Range {
          return doc.rangeOf(p, 'value');
        },
      };
    };
    return [{ index, path, issuer: field('issuer'), jwksUri: field('jwksUri'), jwks: field('jwks') }];
  });
}

function finding(code: JwksCode, message: string, range: Range): Finding {
  return { code, severity: JWKS_CODES[code].severity, message, range };
}

/** Ranges a key-set problem inside an inline jwks: the member, else the key, else the whole value. */
function inlineProblemRange(locate: JsonScalarLocator, jwks: LocatedString, p: KeySetProblem): Range {
  const keyPath: Path = p.index !== undefined ? ['keys', p.index] : [];
  const candidates: Path[] = p.member !== undefined ? [[...keyPath, p.member]] : [];
  if (p.index !== undefined) candidates.push(keyPath);
  for (const c of candidates) {
    const r = locate(c, c === keyPath ? 'value' : 'pair');
    if (r) return r;
  }
  return jwks.range;
}

/**
 * True when istiod's webhook (jwx jwk.Parse) rejects the inline jwks: not JSON, not an object,
 * "keys" not an array, a key that is not an object or has no/an unknown kty. The
 * RequestAuthentication rules report those (reqauth-jwks-invalid), so this module stays silent.
 */
function webhookRejects(a: KeySetAnalysis & { notJson?: string }): boolean {
  return a.notJson !== undefined || a.shape === 'other' || a.summaries.some((k) => !KNOWN_KTY.has(k.kty ?? ''));
}

const KNOWN_KTY = new Set(['RSA', 'EC', 'OKP', 'oct']);

/** Inline-jwks problems other modules already report (private material: reqauth-jwks-private-key). */
const REPORTED_BY_RULES: ReadonlySet<JwksCode> = new Set(['jwks-private-key']);

/**
 * The OIDC discovery URL istiod would build from an issuer (no jwksUri, no inline jwks) when it
 * cannot be fetched at all: "example.com" makes no absolute URL. Known without a request.
 */
function discoveryProblem(rule: JwtRuleRef): Finding | undefined {
  if (rule.jwks || rule.jwksUri || !rule.issuer) return undefined;
  const url = discoveryUrlOf(rule.issuer.value);
  const p = staticUrlProblem(url);
  if (!p) return undefined;
  const why = p.code === 'jwks-invalid-url' ? 'which is not an absolute URL' : `whose scheme is not http:// or https://`;
  const issuer = JSON.stringify(rule.issuer.value);
  return finding(
    p.code,
    `issuer ${issuer} with no jwksUri: istiod fetches the keys through OIDC discovery at ${JSON.stringify(url)}, ${why}, so every token of this issuer is rejected. Set jwksUri, or write the issuer as a URL such as https://${rule.issuer.value.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '')}`,
    rule.issuer.range,
  );
}

/**
 * Checks every inline `jwks` of a RequestAuthentication without any I/O, beyond what the
 * webhook rules report: a single JWK instead of a set (Envoy rejects it), keys that cannot
 * verify (use, key_ops, alg vs kty/crv, bad material), no usable key, duplicate kid; and issuers
 * whose OIDC discovery URL cannot be fetched at all. Register as a document check:
 * `(doc, _settings, out) => checkInlineJwks(doc, out)`.
 */
export function checkInlineJwks(doc: ParsedDoc, out: Finding[]): void {
  for (const rule of collectJwtRules(doc)) {
    const discovery = discoveryProblem(rule);
    if (discovery) out.push(discovery);
    const jwks = rule.jwks;
    if (!jwks) continue;
    const analysis = analyzeJwksText(jwks.value);
    if (webhookRejects(analysis)) continue;
    const locate = jsonScalarLocator(doc, jwks.path);
    for (const p of analysis.problems) {
      if (REPORTED_BY_RULES.has(p.code)) continue;
      out.push(finding(p.code, `jwtRules[${rule.index}].jwks: ${p.message}`, inlineProblemRange(locate, jwks, p)));
    }
  }
}

/** What hover shows for one jwtRule. */
export interface JwtRuleCheck {
  ruleIndex: number;
  issuer?: string;
  jwksUri?: string;
  /** 'inline' when the rule carries jwks (nothing is fetched, as in istiod). */
  source: 'inline' | JwksResult['source'];
  status: JwksResult['status'];
  url?: string;
  latencyMs?: number;
  keys: KeySummary[];
  checkedAt: number;
  fromCache: boolean;
  kubectlArgs?: string[];
  failure?: { code: JwksCode; message: string };
  /** The full result (keys imported with jose) for remote sets. */
  result?: JwksResult;
}

export interface JwksReport {
  findings: Finding[];
  checks: JwtRuleCheck[];
}

export interface ReachabilityOptions extends JwksOptions {
  /** When both jwksUri and an http(s) issuer are set, also compare with the issuer's discovery document (default true). */
  compareDiscovery?: boolean;
}

function trailingSlashNote(a: string, b: string): string {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '') ? ' (they differ only by a trailing slash)' : '';
}

function issuerMismatch(rule: JwtRuleRef, discovered: string | undefined, discoveryUrl: string): Finding | undefined {
  const issuer = rule.issuer;
  if (!issuer || discovered === undefined || discovered === issuer.value) return undefined;
  return finding(
    'jwks-issuer-mismatch',
    `issuer ${JSON.stringify(issuer.value)} differs from the issuer ${JSON.stringify(discovered)} published at ${discoveryUrl}${trailingSlashNote(issuer.value, discovered)}; ` +
      `Envoy compares a token's iss exactly, so set issuer to ${JSON.stringify(discovered)}`,
    issuer.range,
  );
}

function isHttpUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function describeTarget(rule: JwtRuleRef, result: JwksResult): string {
  if (result.source === 'jwksUri') return `jwksUri ${result.url ?? rule.jwksUri?.value}`;
  const via = result.failure?.stage === 'discovery' || !result.url ? `OIDC discovery ${result.failure?.url ?? result.discovery?.url ?? ''}`.trim() : `jwks_uri ${result.url} (from OIDC discovery)`;
  return `issuer ${JSON.stringify(rule.issuer?.value)}: ${via}`;
}

/** Findings for one remote result, all on the jwksUri value (or the issuer when discovered). */
function resultFindings(rule: JwtRuleRef, result: JwksResult): Finding[] {
  const anchor = (result.source === 'jwksUri' ? rule.jwksUri : rule.issuer)!;
  const out: Finding[] = [];
  const what = describeTarget(rule, result);
  if (result.hadCredentials) {
    out.push(finding('jwks-url-credentials', `${what}: the URL contains user:password@, which istio-sec stripped and did not send; remove credentials from the manifest`, anchor.range));
  }
  // A configured http:// jwksUri is reported by the RequestAuthentication rules (reqauth-jwks-uri-http).
  const urls = result.source === 'discovery' ? [anchor.value, result.url].filter((u): u is string => u !== undefined && /^http:\/\//i.test(u)) : [];
  if (urls.length > 0) {
    out.push(finding('jwks-insecure-http', `${urls[urls.length - 1]} uses http://; the signing keys can be replaced in transit, use https://`, anchor.range));
  }
  if (result.status === 'cluster-local') {
    const how = result.kubectlArgs ? `; check it through the cluster with the "Check from the cluster" lens, or: kubectl ${result.kubectlArgs.join(' ')}` : '';
    out.push(finding('jwks-cluster-local', `${what}: this host only resolves inside the cluster, so it is checked from the cluster only (not fetched from here)${how}`, anchor.range));
  }
  // A configured jwksUri that is not an http(s) URL is rejected by the CRD (reported by the schema and
  // rules), and an issuer that cannot make a discovery URL is reported without network (checkInlineJwks);
  // a redirect to another scheme is only known here.
  const failure = result.failure;
  const staticFailure = failure !== undefined && !failure.redirected && (failure.code === 'jwks-unsupported-scheme' || failure.code === 'jwks-invalid-url');
  const schemaCovered = staticFailure && (result.source === 'jwksUri' || failure.stage === 'discovery');
  if (result.failure && !schemaCovered) out.push(finding(result.failure.code, `${what}: ${result.failure.message}`, anchor.range));
  for (const p of result.problems) out.push(finding(p.code, `${what}: ${p.message}`, anchor.range));
  if (result.source === 'discovery' && result.discovery) {
    const m = issuerMismatch(rule, result.discovery.issuer, result.discovery.url);
    if (m) out.push(m);
  }
  return out;
}

/** Optional comparison of a configured jwksUri with the issuer's discovery document. */
async function compareWithDiscovery(rule: JwtRuleRef, opts: JwksOptions): Promise<Finding[]> {
  if (!rule.issuer || !rule.jwksUri || !isHttpUrl(rule.issuer.value)) return [];
  const d = await getDiscovery(rule.issuer.value, opts);
  if (d.status !== 'ok' || !d.discovery) return []; // istiod never fetches it here: a failure is not a problem
  const out: Finding[] = [];
  const m = issuerMismatch(rule, d.discovery.issuer, d.discovery.url);
  if (m) out.push(m);
  const published = d.discovery.jwksUri;
  if (published !== undefined && published !== rule.jwksUri.value) {
    out.push(
      finding(
        'jwks-uri-mismatch',
        `jwksUri ${JSON.stringify(rule.jwksUri.value)} differs from the jwks_uri ${JSON.stringify(published)} that issuer ${JSON.stringify(rule.issuer.value)} publishes${trailingSlashNote(rule.jwksUri.value, published)}; istiod uses the configured jwksUri`,
        rule.jwksUri.range,
      ),
    );
  }
  return out;
}

function inlineCheck(rule: JwtRuleRef, checkedAt: number): JwtRuleCheck {
  const a = analyzeJwksText(rule.jwks!.value);
  const fatal = a.notJson !== undefined ? { code: 'jwks-not-json' as const, message: a.notJson } : a.problems.find((p) => p.code === 'jwks-not-key-set' || p.code === 'jwks-no-usable-keys');
  return {
    ruleIndex: rule.index,
    issuer: rule.issuer?.value,
    jwksUri: rule.jwksUri?.value,
    source: 'inline',
    status: fatal ? 'failed' : 'ok',
    keys: a.summaries,
    checkedAt,
    fromCache: false,
    failure: fatal && { code: fatal.code, message: fatal.message },
  };
}

async function checkRule(rule: JwtRuleRef, opts: ReachabilityOptions): Promise<{ check: JwtRuleCheck; findings: Finding[] }> {
  const result = await getJwks({ jwksUri: rule.jwksUri?.value, issuer: rule.issuer?.value }, opts);
  const findings = resultFindings(rule, result);
  if (opts.compareDiscovery !== false && !opts.offline) findings.push(...(await compareWithDiscovery(rule, opts)));
  const check: JwtRuleCheck = {
    ruleIndex: rule.index,
    issuer: rule.issuer?.value,
    jwksUri: rule.jwksUri?.value,
    source: result.source,
    status: result.status,
    url: result.url,
    latencyMs: result.latencyMs,
    keys: result.summaries,
    checkedAt: result.checkedAt,
    fromCache: result.fromCache,
    kubectlArgs: result.kubectlArgs,
    failure: result.failure && { code: result.failure.code, message: result.failure.message },
    result,
  };
  return { check, findings };
}

/**
 * Fetches every remote key set of a RequestAuthentication document (jwksUri, else OIDC discovery)
 * and reports reachability and key-set problems. Rules with inline jwks are not fetched (istiod
 * uses the inline set); their findings come from checkInlineJwks. Never throws.
 */
export async function checkJwksReachability(doc: ParsedDoc, opts: ReachabilityOptions = {}): Promise<JwksReport> {
  // A placeholder or template host (`https://{YOUR_DOMAIN}/…`, `{{ .Values.issuer }}`) is not a place to fetch from.
  const rules = collectJwtRules(doc).filter((r) => ![r.jwksUri, r.issuer].some((v) => v && isPlaceholderText(v.value)));
  const withNs: ReachabilityOptions = { ...opts, namespace: doc.resource?.namespace ?? opts.namespace };
  const now = (opts.cache?.now ?? Date.now)();
  const results = await Promise.all(
    rules.map((rule) =>
      rule.jwks
        ? Promise.resolve({ check: inlineCheck(rule, now), findings: [] as Finding[] })
        : rule.jwksUri || rule.issuer
          ? checkRule(rule, withNs)
          : Promise.resolve(undefined),
    ),
  );
  const present = results.filter((r): r is { check: JwtRuleCheck; findings: Finding[] } => r !== undefined);
  return { findings: present.flatMap((r) => r.findings), checks: present.map((r) => r.check) };
}
