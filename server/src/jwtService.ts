/**
 * The server's side of JWTs in the editor (issue 7): token diagnostics that depend on the whole
 * workspace's RequestAuthentications, hover, inlay hints, and the decode / verify / simulate
 * requests behind the VS Code commands. Every text it produces shows a token only through
 * redactToken; nothing here logs.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../engine/src/diagnostics';
import type { JwksOptions } from '../../engine/src/jwks/index';
import {
  checkTokensInText,
  decodeToken,
  jwtRulesOf,
  redactToken,
  resolveKeySet,
  ruleLabel,
  rulesAccepting,
  tokenAt,
  findTokens,
  verifyToken,
  type DecodedJwt,
  type JwtRuleInfo,
  type RuleAcceptance,
} from '../../engine/src/jwt/index';
import type { FileModel } from '../../engine/src/model/fileModel';
import { simulate } from '../../engine/src/simulate/index';
import type { Workspace } from '../../engine/src/workspace/workspace';
import type {
  DecodeJwtResult,
  JwtPosition,
  JwtRuleChoice,
  JwtRuleRef,
  SimulateParams,
  SimulateResult,
  SimulationTarget,
  VerifyJwtParams,
  VerifyJwtResult,
} from './protocol';

/** What the service needs from the server's state, read at each call. */
export interface JwtServiceContext {
  workspace: Workspace;
  defaultNamespace(): string;
  rootNamespace(): string;
  offline(): boolean;
  /** Network options and cache for fetching a jwksUri (shared with the JWKS checks). */
  jwksOptions(): JwksOptions;
  /** Epoch milliseconds (token times). */
  now(): number;
}

export interface JwtInlayHint {
  position: JwtPosition;
  label: string;
  tooltip: string;
}

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

/** The server's JWT features over the workspace index. */
export class JwtService {
  /** The workspace's jwtRules, recomputed when its resources or the default namespace change. */
  private rulesCache: { version: number; ns: string; rules: JwtRuleInfo[] } | undefined;

  constructor(private readonly ctx: JwtServiceContext) {}

  /** Every jwtRule of the RequestAuthentications in the workspace (open documents and files on disk). */
  rules(): JwtRuleInfo[] {
    const index = this.ctx.workspace.resources;
    const ns = this.ctx.defaultNamespace();
    if (this.rulesCache?.version !== index.version || this.rulesCache.ns !== ns) {
      const ras = index.ofKind('RequestAuthentication').map((r) => ({ ...r.resource, namespace: r.namespace }));
      this.rulesCache = { version: index.version, ns, rules: jwtRulesOf(ras, ns) };
    }
    return this.rulesCache.rules;
  }

  /** Token findings of an open document; only for Istio files, like every other finding. */
  findings(model: FileModel, text: string): Finding[] {
    if (!model.isIstioFile) return [];
    return checkTokensInText(text, this.rules(), this.ctx.now());
  }

  /** The token under a position, if any. */
  tokenAt(doc: TextDocument, position: JwtPosition): string | undefined {
    return tokenAt(doc.getText(), doc.offsetAt(position))?.token;
  }

  /** Hover markdown for the token under the cursor, or undefined when the cursor is on none. */
  hover(doc: TextDocument, position: JwtPosition): string | undefined {
    const token = this.tokenAt(doc, position);
    if (!token) return undefined;
    const decoded = decodeToken(token, this.ctx.now());
    if (!decoded.ok) return `**JWT** \`${redactToken(token)}\`: not decodable: ${decoded.error}`;
    return tokenMarkdown(token, decoded.jwt, rulesAccepting(decoded.jwt, this.rules())).join('\n');
  }

  /** One hint after each decodable token of an Istio file: issuer, expiry, which rules accept it. */
  inlayHints(doc: TextDocument, model: FileModel | undefined, range?: { start: JwtPosition; end: JwtPosition }): JwtInlayHint[] {
    if (!model?.isIstioFile) return [];
    const from = range ? doc.offsetAt(range.start) : 0;
    const to = range ? doc.offsetAt(range.end) : Number.MAX_SAFE_INTEGER;
    const rules = this.rules();
    const now = this.ctx.now();
    return findTokens(doc.getText())
      .filter((t) => t.end >= from && t.start <= to)
      .flatMap((t) => {
        const decoded = decodeToken(t.token, now);
        if (!decoded.ok) return [];
        const jwt = decoded.jwt;
        const parts = [`iss ${jwt.issuer ?? '(none)'}`, expirySummary(jwt), matchSummary(rulesAccepting(jwt, rules))];
        return [{ position: doc.positionAt(t.end), label: `JWT: ${parts.join(' · ')}`, tooltip: jwt.statusDetail }];
      });
  }

  /** The decode document: header, payload, annotated times, principal, rules and the token checks. */
  decode(token: string): DecodeJwtResult {
    const now = this.ctx.now();
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
  async verify(params: VerifyJwtParams): Promise<VerifyJwtResult> {
    const rules = this.rules();
    const now = this.ctx.now();
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
    const keys = await resolveKeySet(rule, { offline: this.ctx.offline(), jwks: this.ctx.jwksOptions() });
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

  /** Workloads named by the selectors (matchLabels) of the workspace's policies, one per namespace + labels. */
  targets(): SimulationTarget[] {
    const byKey = new Map<string, SimulationTarget>();
    for (const r of this.ctx.workspace.resources.resources()) {
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
    return [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
  }

  /** Simulates one request against the workspace's RequestAuthentications and AuthorizationPolicies. */
  async simulate(params: SimulateParams): Promise<SimulateResult> {
    const resources = this.ctx.workspace.resources.resources().map((r) => r.resource);
    const request = { method: params.method, path: params.path, host: params.host, port: params.port, token: params.token || undefined };
    const r = await simulate(resources, params.target, request, {
      rootNamespace: this.ctx.rootNamespace(),
      defaultNamespace: this.ctx.defaultNamespace(),
      offline: this.ctx.offline(),
      jwks: this.ctx.jwksOptions(),
      now: this.ctx.now(),
    });
    const labels = Object.entries(params.target.labels).map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)';
    const content = [
      '# Simulated request',
      '',
      `Request: \`${params.method ?? 'GET'} ${params.path ?? '/'}\`${params.host ? ` to host \`${params.host}\`` : ''}${params.port ? ` port ${params.port}` : ''}`,
      `Token: ${params.token ? `\`${redactToken(params.token.trim())}\`` : 'none'}`,
      `Workload: namespace \`${params.target.namespace}\`, labels \`${labels}\``,
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
