/**
 * The host's JWT features: token findings (they depend on every RequestAuthentication of the
 * workspace), hover, inlay hints, and the decode / verify / simulate reports. Every text shows a
 * token only through redactToken; nothing here logs.
 */
import type { Finding, Position } from '../diagnostics';
import {
  checkTokensInText,
  decodeToken,
  findTokens,
  jwtRulesOf,
  redactToken,
  resolveKeySet,
  ruleLabel,
  rulesAccepting,
  verifyToken,
  type DecodedJwt,
  type JwtRuleInfo,
  type RuleAcceptance,
} from '../jwt/index';
import type { DocumentEntry } from '../model/fileModel';
import { attachedTargets, describeTarget, simulate, type SimRequest, type SimResource, type SimSettings, type SimTarget, type SimulationResult } from '../simulate/index';
import type { Workspace } from '../workspace/workspace';
import type { JwksFeatures } from './jwks';
import type { DecodeReport, InlayHint, JwtRuleChoice, JwtRuleRef, SimulateParams, SimulateReport, SimulationTarget, VerifyParams, VerifyReport } from './types';

const fence = (value: unknown): string[] => ['```json', JSON.stringify(value, null, 2), '```'];

function statusWord(jwt: DecodedJwt): string {
  return jwt.status === 'valid' ? 'valid' : jwt.status === 'expired' ? 'expired' : 'not yet valid';
}

/** "expires in 3 days", "expired 2 hours ago", "valid in 5 minutes", "no exp". */
function expirySummary(jwt: DecodedJwt): string {
  if (jwt.status === 'expired') return `expired ${jwt.times.exp?.relative ?? ''}`.trim();
  if (jwt.status === 'not-yet-valid') return `valid ${jwt.times.nbf?.relative ?? 'later'}`;
  return jwt.times.exp ? `expires ${jwt.times.exp.relative}` : 'no exp';
}

function shortRule(r: JwtRuleRef): string {
  return `${r.namespace}/${r.name}`;
}

/** One line about which rules accept the token ("accepted by foo/jwt", "issuer not configured"). */
function matchSummary(acceptance: readonly RuleAcceptance[]): string {
  const accepted = acceptance.filter((a) => a.accepted);
  if (accepted.length > 0) return `accepted by ${accepted.map((a) => shortRule(a.rule)).join(', ')}`;
  if (acceptance.some((a) => a.issuer)) return 'audience not accepted';
  return 'issuer not configured';
}

/** The markdown lines listing which jwtRules accept the token's issuer and audience. */
function acceptanceLines(jwt: DecodedJwt, acceptance: readonly RuleAcceptance[]): string[] {
  const relevant = acceptance.filter((a) => a.issuer || a.slashHint);
  const lines = ['**RequestAuthentication rules in the workspace**', ''];
  if (relevant.length === 0) {
    const iss = jwt.issuer === undefined ? 'The token has no iss claim, so' : `No jwtRule has the issuer ${JSON.stringify(jwt.issuer)}, so`;
    return [...lines, `${iss} Envoy answers 401 "Jwt issuer is not configured" where a RequestAuthentication applies (${acceptance.length} jwtRule(s) in the workspace).`];
  }
  for (const a of relevant) {
    const label = ruleLabel(a.rule);
    if (a.accepted) lines.push(`- ✓ ${label}: issuer and audience accepted`);
    else if (a.issuer) lines.push(`- ✗ ${label}: issuer matches, but aud ${JSON.stringify(jwt.audiences)} has none of ${JSON.stringify(a.rule.audiences)}`);
    else lines.push(`- ✗ ${label}: ${a.slashHint}`);
  }
  return lines;
}

function timeTable(jwt: DecodedJwt): string[] {
  const rows = (['iat', 'nbf', 'exp'] as const).flatMap((c) => {
    const t = jwt.times[c];
    return t ? [`| ${c} | ${t.epoch} | ${t.iso} | ${t.relative} |`] : [];
  });
  return rows.length ? ['| claim | epoch | UTC | relative |', '|---|---|---|---|', ...rows] : ['No iat, nbf or exp claim.'];
}

/** Everything known about a decoded token, as markdown (hover and the decode document). */
function tokenMarkdown(token: string, jwt: DecodedJwt, acceptance: readonly RuleAcceptance[]): string[] {
  const lines = [
    `**JWT** \`${redactToken(token)}\`: **${statusWord(jwt)}**: ${jwt.statusDetail}`,
    '',
    jwt.principal ? `Principal (\`request.auth.principal\`, \`requestPrincipals\`): \`${jwt.principal}\`` : 'Principal: none (Istio needs both iss and sub)',
    '',
    ...timeTable(jwt),
    '',
    '**Header**',
    ...fence(jwt.header),
    '',
    '**Payload**',
    ...fence(jwt.payload),
    '',
    ...acceptanceLines(jwt, acceptance),
  ];
  if (jwt.problems.length) lines.push('', '**Problems**', '', ...jwt.problems.map((p) => `- ${p}`));
  return lines;
}

function ruleSource(rule: JwtRuleInfo): string {
  if (rule.jwks !== undefined) return 'inline jwks';
  return rule.jwksUri ?? `OIDC discovery of ${rule.issuer}`;
}

function sameRule(a: JwtRuleRef, b: JwtRuleRef): boolean {
  return a.namespace === b.namespace && a.name === b.name && a.ruleIndex === b.ruleIndex;
}

const CHECK_MARK: Record<string, string> = { true: '✓', false: '✗', null: '–' };

/** Token times are re-judged (expired, not yet valid) at least this often. */
const TOKEN_TIME_BUCKET_MS = 60_000;

export class JwtFeatures {
  private rulesCache: { index: unknown; revision: number; rules: JwtRuleInfo[] } | undefined;
  private readonly tokenFindings = new WeakMap<DocumentEntry, { stamp: string; findings: Finding[] }>();

  constructor(
    private readonly workspace: () => Workspace,
    private readonly jwks: JwksFeatures,
    private readonly now: () => number,
  ) {}

  /** Every jwtRule of the RequestAuthentications in the workspace. */
  rules(): JwtRuleInfo[] {
    const ws = this.workspace();
    const index = ws.index;
    const revision = index.revisionOf('RequestAuthentication');
    if (this.rulesCache?.index !== index || this.rulesCache.revision !== revision) {
      const ras = index.ofKind('RequestAuthentication').map((r) => ({ ...r.resource, namespace: r.namespace }));
      this.rulesCache = { index, revision, rules: jwtRulesOf(ras, ws.settings.defaultNamespace) };
    }
    return this.rulesCache.rules;
  }

  /** Token findings of one document, document-relative; cached until the workspace's jwtRules change or a minute passes. */
  findingsOf(entry: DocumentEntry): readonly Finding[] {
    const text = entry.segment.text;
    if (!text.includes('eyJ')) return [];
    const rules = this.rules();
    const now = this.now();
    const stamp = `${this.rulesCache?.revision}:${Math.floor(now / TOKEN_TIME_BUCKET_MS)}`;
    const hit = this.tokenFindings.get(entry);
    if (hit?.stamp === stamp) return hit.findings;
    const findings = checkTokensInText(text, rules, now);
    this.tokenFindings.set(entry, { stamp, findings });
    return findings;
  }

  /** Hover markdown for a token, or undefined when `token` is undefined. */
  hover(token: string): string {
    const decoded = decodeToken(token, this.now());
    if (!decoded.ok) return `**JWT** \`${redactToken(token)}\`: not decodable: ${decoded.error}`;
    return tokenMarkdown(token, decoded.jwt, rulesAccepting(decoded.jwt, this.rules())).join('\n');
  }

  /** One hint after each decodable token of a document's text (offsets in that text). */
  inlayHints(text: string, from: number, to: number, positionAt: (offset: number) => Position): InlayHint[] {
    const rules = this.rules();
    const now = this.now();
    return findTokens(text)
      .filter((t) => t.end >= from && t.start <= to)
      .flatMap((t) => {
        const decoded = decodeToken(t.token, now);
        if (!decoded.ok) return [];
        const jwt = decoded.jwt;
        const parts = [`iss ${jwt.issuer ?? '(none)'}`, expirySummary(jwt), matchSummary(rulesAccepting(jwt, rules))];
        return [{ position: positionAt(t.end), label: `JWT: ${parts.join(' · ')}`, tooltip: jwt.statusDetail }];
      });
  }

  /** The decode document: header, payload, annotated times, principal, rules and the token checks. */
  decode(token: string): DecodeReport {
    const now = this.now();
    const decoded = decodeToken(token, now);
    const title = `JWT ${redactToken(token.trim())}`;
    if (!decoded.ok) return { ok: false, title, content: `# Decoded JWT\n\nNot a JWT: ${decoded.error}.\n` };
    const jwt = decoded.jwt;
    const rules = this.rules();
    const findings = checkTokensInText(token.trim().replace(/^Bearer\s+/i, ''), rules, now);
    const checks = findings.length ? findings.map((f) => `- ${f.severity}: ${f.message} (\`${f.code}\`)`) : ['No problem found.'];
    const content = ['# Decoded JWT', '', ...tokenMarkdown(token.trim(), jwt, rulesAccepting(jwt, rules)), '', '**Checks**', '', ...checks, ''].join('\n');
    return { ok: true, title, content, issuer: jwt.issuer, principal: jwt.principal, status: jwt.status };
  }

  private choice(rule: JwtRuleInfo, issuer: string | undefined): JwtRuleChoice {
    const { namespace, name, ruleIndex } = rule;
    return { namespace, name, ruleIndex, issuer: rule.issuer, issuerMatches: rule.issuer === issuer, label: `${ruleLabel(rule)}: ${rule.issuer} (${ruleSource(rule)})` };
  }

  /** Verifies against the given rule, or the one rule with the token's issuer; else asks for a rule. */
  async verify(params: VerifyParams): Promise<VerifyReport> {
    const rules = this.rules();
    const now = this.now();
    const decoded = decodeToken(params.token, now);
    const issuer = decoded.ok ? decoded.jwt.issuer : undefined;
    let rule = params.rule ? rules.find((r) => sameRule(r, params.rule!)) : undefined;
    if (!rule) {
      const byIssuer = rules.filter((r) => r.issuer === issuer);
      if (byIssuer.length === 1 && !params.rule) rule = byIssuer[0];
      else {
        const reason = params.rule
          ? `${ruleLabel(params.rule)} is not in the workspace`
          : byIssuer.length > 1
            ? `${byIssuer.length} jwtRules have the issuer ${JSON.stringify(issuer)}`
            : `no jwtRule has the token's issuer ${JSON.stringify(issuer ?? null)}`;
        const ordered = [...byIssuer, ...rules.filter((r) => r.issuer !== issuer)];
        return { kind: 'needsRule', reason, candidates: ordered.map((r) => this.choice(r, issuer)) };
      }
    }
    const keys = await resolveKeySet(rule, { offline: this.jwks.offline, jwks: this.jwks.options() });
    const result = await verifyToken(params.token, { issuer: rule.issuer, audiences: rule.audiences, jwks: keys.jwks, jwksUnavailable: keys.unavailable }, now);
    const verdict = result.ok
      ? result.signatureChecked
        ? `**Envoy accepts the token**${result.jwt?.principal ? `: request principal \`${result.jwt.principal}\`` : ''}.`
        : '**Every check made here passed, but the signature was not checked** (see the signature line).'
      : `**Envoy answers ${result.httpStatus} "${result.envoyMessage}"** (first failing check: ${result.failed}).`;
    const content = [
      '# JWT verification',
      '',
      `Token: \`${redactToken(params.token.trim())}\``,
      `Rule: ${ruleLabel(rule)}`,
      `Issuer: \`${rule.issuer}\`${rule.audiences.length ? `, audiences: ${rule.audiences.map((a) => `\`${a}\``).join(', ')}` : ''}`,
      `Keys: ${keys.source}`,
      '',
      verdict,
      '',
      '| | check | detail |',
      '|---|---|---|',
      ...result.checks.map((c) => `| ${CHECK_MARK[String(c.ok)]} | ${c.check} | ${c.detail.replace(/\|/g, '\\|')} |`),
      '',
    ].join('\n');
    return { kind: 'verified', ok: result.ok, failed: result.failed, httpStatus: result.httpStatus, signatureChecked: result.signatureChecked, title: `JWT verification ${shortRule(rule)}`, content };
  }

  /** Workloads named by the selectors (matchLabels) of the workspace's policies, one per namespace + labels; then gateways and waypoint Services named by targetRefs. */
  targets(): SimulationTarget[] {
    const byKey = new Map<string, SimulationTarget>();
    for (const r of this.workspace().index.resources()) {
      const selector = r.resource.spec.selector as { matchLabels?: unknown } | undefined;
      const raw = selector?.matchLabels;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
      const labels = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const text = Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(',');
      const key = `${r.namespace}\u0000${text}`;
      const target = byKey.get(key) ?? { namespace: r.namespace, labels, label: `${r.namespace}: ${text || '(no labels)'}`, selectedBy: [] };
      target.selectedBy.push(`${r.resource.kind} ${r.namespace}/${r.resource.name ?? ''}`);
      byKey.set(key, target);
    }
    const workloads = [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
    const ws = this.workspace();
    const attached = attachedTargets(this.resources(), ws.settings.defaultNamespace).map((c) => ({ namespace: '', labels: {}, label: c.label, selectedBy: c.selectedBy, target: c.target }));
    return [...workloads, ...attached];
  }

  /** The index's resources: policies, and the Namespaces, Services and Gateway API Gateways that tell waypoints and gateway pod labels. */
  private resources(): SimResource[] {
    return this.workspace()
      .index.resources()
      .map((r) => r.resource);
  }

  /** Simulates one request against the workspace's RequestAuthentications and AuthorizationPolicies. */
  run(target: SimTarget, request: SimRequest, mesh: Pick<SimSettings, 'pathNormalization'> = {}): Promise<SimulationResult> {
    const ws = this.workspace();
    return simulate(this.resources(), target, request, {
      rootNamespace: ws.settings.rootNamespace,
      defaultNamespace: ws.settings.defaultNamespace,
      offline: this.jwks.offline,
      jwks: this.jwks.options(),
      now: this.now(),
      pathNormalization: mesh.pathNormalization,
    });
  }

  /** The simulation as a markdown report (the editor's Simulate request command). */
  async simulate(params: SimulateParams): Promise<SimulateReport> {
    const request = { method: params.method, path: params.path, host: params.host, port: params.port, token: params.token || undefined };
    const r = await this.run(params.target, request);
    const t = params.target;
    const proxy = t.kind === 'gateway' || t.kind === 'waypoint' ? `Proxy: ${describeTarget(t)}` : `Workload: namespace \`${t.namespace}\`, labels \`${Object.entries(t.labels).map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)'}\``;
    const content = [
      '# Simulated request',
      '',
      `Request: \`${params.method ?? 'GET'} ${params.path ?? '/'}\`${params.host ? ` to host \`${params.host}\`` : ''}${params.port ? ` port ${params.port}` : ''}`,
      `Token: ${params.token ? `\`${redactToken(params.token.trim())}\`` : 'none'}`,
      proxy,
      '',
      `**${r.status} ${r.allowed ? 'ALLOWED' : 'DENIED'}**: ${r.reason}`,
      ...(r.matchedPolicy ? ['', `Matched: ${r.matchedPolicy.action} ${r.matchedPolicy.namespace}/${r.matchedPolicy.name} rules[${r.matchedPolicy.rule}]`] : []),
      '',
      '**Trace**',
      '',
      ...r.trace.map((t) => `1. ${t}`),
      '',
    ].join('\n');
    return { status: r.status, allowed: r.allowed, reason: r.reason, title: `Simulated ${params.method ?? 'GET'} ${params.path ?? '/'}`, content };
  }
}
