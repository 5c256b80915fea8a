import { readFileSync } from 'node:fs';
import type { Position, Range } from '../../engine/src/diagnostics';
import { shiftRange } from '../../engine/src/diagnostics';
import { JwksCache } from '../../engine/src/jwks/cache';
import { collectJwtRules, type JwtRuleCheck, type ReachabilityOptions } from '../../engine/src/jwks/check';
import { kubectlProxyArgs } from '../../engine/src/jwks/clusterLocal';
import { discoveryUrlOf } from '../../engine/src/jwks/resolve';
import { ReachabilityTracker } from '../../engine/src/jwks/tracker';
import type { FileModel } from '../../engine/src/model/fileModel';
import { parseDoc } from '../../engine/src/model/parse';
import { DEFAULT_SERVER_SETTINGS, type ClusterJwksArgs, type ServerSettings } from './protocol';

export interface JwksLens {
  range: Range;
  cluster?: ClusterJwksArgs;
}

/** How long after the last edit of a document its endpoints are checked (a URL is typed char by char). */
export const JWKS_DEBOUNCE_MS = 600;

function contains(r: Range, p: Position): boolean {
  return (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));
}

function describe(check: JwtRuleCheck): string {
  const when = new Date(check.checkedAt).toISOString().replace('.000Z', 'Z');
  const lines = [`**JWKS** ${check.url ? `\`${check.url}\`` : ''}`, ''];
  if (check.source === 'inline') lines.push('Inline `jwks`: nothing is fetched (as in istiod).');
  else lines.push(`Status: **${check.status}**${check.latencyMs !== undefined ? ` in ${check.latencyMs} ms` : ''}${check.fromCache ? ' (cached)' : ''}, checked ${when}`);
  if (check.failure) lines.push('', `⚠ ${check.failure.message}`);
  if (check.keys.length) {
    lines.push('', '| kid | kty | alg | use |', '|---|---|---|---|');
    for (const k of check.keys) lines.push(`| ${k.kid ?? '—'} | ${k.kty ?? '—'} | ${k.alg ?? '—'} | ${k.use ?? '—'} |`);
  }
  if (check.kubectlArgs) lines.push('', `Checked from the cluster only: \`kubectl ${check.kubectlArgs.join(' ')}\``);
  return lines.join('\n');
}

/**
 * The server's side of JWKS reachability: background checks of open documents (debounced,
 * only in trusted workspaces and when not offline), explicit checks, hover and lenses.
 */
export class JwksService {
  private readonly tracker = new ReachabilityTracker();
  private cache = new JwksCache();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  private http: { proxy?: string; proxyStrictSSL?: boolean } = {};
  trusted = true;

  constructor(private readonly republish: (uri: string) => void) {}

  configure(settings: ServerSettings, http: { proxy?: string; proxyStrictSSL?: boolean } | undefined, trusted: boolean): void {
    const ttlMs = (settings.jwks?.cacheTtlSeconds ?? 300) * 1000;
    const networkChanged = JSON.stringify([settings.jwks, http]) !== JSON.stringify([this.settings.jwks, this.http]);
    this.settings = settings;
    this.http = http ?? {};
    this.trusted = trusted;
    if (networkChanged || ttlMs !== this.cache.ttlMs) {
      this.cache = new JwksCache({ ttlMs });
      this.tracker.clear();
    }
  }

  get offline(): boolean {
    return this.settings.offline;
  }

  /** Network options and cache for fetches (also used by JWT verification and the simulator). */
  options(force: boolean): ReachabilityOptions {
    const cas = (this.settings.jwks?.caCertificates ?? []).flatMap((path) => {
      try {
        return [readFileSync(path, 'utf8')];
      } catch {
        return [];
      }
    });
    return {
      offline: this.settings.offline,
      timeoutMs: this.settings.jwks?.timeoutMs,
      proxy: this.http.proxy || undefined,
      rejectUnauthorized: this.http.proxyStrictSSL ?? true,
      caCertificates: cas.length ? cas : undefined,
      cache: this.cache,
      force,
    };
  }

  /** Background check after an edit or open (debounced); never in untrusted workspaces or offline. */
  schedule(uri: string, model: () => FileModel | undefined): void {
    if (!this.trusted || this.settings.offline || this.settings.jwks?.autoCheck === false) return;
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        const m = model();
        if (!m || ReachabilityTracker.targets(m).length === 0) return;
        void this.tracker.check(m, this.options(false)).then((changed) => changed && this.republish(uri), () => undefined);
      }, JWKS_DEBOUNCE_MS),
    );
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /** An explicit check (command or lens): allowed in untrusted workspaces, never when offline. */
  async checkNow(models: Array<[string, FileModel]>, force: boolean, isCancelled: () => boolean, progress?: (done: number, total: number) => void): Promise<{ documents: number; problems: number }> {
    let documents = 0;
    let problems = 0;
    const targets = models.filter(([, m]) => ReachabilityTracker.targets(m).length > 0);
    for (let i = 0; i < targets.length && !isCancelled(); i++) {
      const [uri, m] = targets[i];
      progress?.(i, targets.length);
      if (!this.settings.offline) {
        await this.tracker.check(m, this.options(force), isCancelled);
        this.republish(uri);
      }
      documents += ReachabilityTracker.targets(m).length;
      problems += this.tracker.findings(m).length;
    }
    return { documents, problems };
  }

  findings(model: FileModel) {
    return this.tracker.findings(model);
  }

  /** Hover on a jwtRule's jwksUri or issuer: the last result. */
  hover(model: FileModel, pos: Position): string | undefined {
    const entry = model.documentAtLine(pos.line);
    if (!entry || entry.analysis.resource?.kind !== 'RequestAuthentication') return undefined;
    const local = { line: pos.line - entry.segment.startLine, character: pos.character };
    const rule = collectJwtRules(parseDoc(entry.segment.text)).find((r) => [r.jwksUri, r.issuer].some((v) => v && contains(v.range, local)));
    if (!rule) return undefined;
    const check = this.tracker.reportFor(entry.segment.text)?.checks.find((c) => c.ruleIndex === rule.index);
    if (!check) {
      const why = this.settings.offline ? 'offline mode is on' : !this.trusted ? 'the workspace is not trusted (run "Istio: Check JWKS endpoints")' : 'the check has not run yet';
      return `**JWKS**: not checked: ${why}.`;
    }
    return describe(check);
  }

  /**
   * "Re-check" lenses on each jwtRule that names a jwksUri or issuer; `cluster` is set when the
   * URL istiod would fetch only resolves inside the cluster (checked through kubectl instead).
   */
  lenses(model: FileModel, defaultNamespace: string): JwksLens[] {
    const out: JwksLens[] = [];
    for (const entry of model.documents) {
      const resource = entry.analysis.resource;
      if (resource?.kind !== 'RequestAuthentication') continue;
      for (const rule of collectJwtRules(parseDoc(entry.segment.text))) {
        const at = rule.jwksUri ?? rule.issuer;
        if (!at || rule.jwks) continue;
        const lens: JwksLens = { range: shiftRange(at.range, entry.segment.startLine) };
        // Only where the service proxy can reach it: the engine's kubectlProxyArgs decides, as for the command.
        const url = rule.jwksUri ? at.value : discoveryUrlOf(at.value);
        if (kubectlProxyArgs(url)) lens.cluster = { jwksUri: rule.jwksUri?.value, discoveryUrl: rule.jwksUri ? undefined : url, namespace: resource.namespace ?? defaultNamespace };
        out.push(lens);
      }
    }
    return out;
  }
}
