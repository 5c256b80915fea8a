/**
 * The host's JWKS features: reachability checks of RequestAuthentication endpoints (on demand;
 * the caller decides when: the server debounces them in trusted workspaces, the CLI runs them
 * unless --offline), their findings, hover and lenses. Results are kept per document content.
 */
import { readFileSync } from 'node:fs';
import type { Finding, Position, Range } from '../diagnostics';
import { shiftRange } from '../diagnostics';
import { JwksCache } from '../jwks/cache';
import { collectJwtRules, type JwtRuleCheck, type ReachabilityOptions } from '../jwks/check';
import { kubectlProxyArgs } from '../jwks/clusterLocal';
import { discoveryUrlOf } from '../jwks/resolve';
import { ReachabilityTracker } from '../jwks/tracker';
import type { DocumentEntry, FileModel } from '../model/fileModel';
import { parseDoc } from '../model/parse';
import type { NetworkSettings } from './settings';

/** A jwtRule whose endpoint the editor can re-check; `cluster` when it resolves only inside the cluster. */
export interface JwksLens {
  range: Range;
  cluster?: { jwksUri?: string; discoveryUrl?: string; namespace: string };
}

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

function readCertificates(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    try {
      return [readFileSync(path, 'utf8')];
    } catch {
      return [];
    }
  });
}

export class JwksFeatures {
  private readonly tracker = new ReachabilityTracker();
  private cache: JwksCache;
  private certificates: string[];

  constructor(private network: NetworkSettings) {
    this.cache = new JwksCache({ ttlMs: network.cacheTtlMs });
    this.certificates = readCertificates(network.caCertificatePaths ?? []);
  }

  /** New network settings: cached results do not record the options they were fetched with. */
  configure(network: NetworkSettings): void {
    if (JSON.stringify(network) === JSON.stringify(this.network)) return;
    this.network = network;
    this.cache = new JwksCache({ ttlMs: network.cacheTtlMs });
    this.certificates = readCertificates(network.caCertificatePaths ?? []);
    this.tracker.clear();
  }

  get offline(): boolean {
    return this.network.offline;
  }

  /** Network options and cache for fetches (also used by JWT verification and the simulator). */
  options(force = false): ReachabilityOptions {
    return {
      offline: this.network.offline,
      timeoutMs: this.network.timeoutMs,
      proxy: this.network.proxy || undefined,
      rejectUnauthorized: this.network.rejectUnauthorized ?? true,
      caCertificates: this.certificates.length ? this.certificates : undefined,
      env: this.network.env,
      cache: this.cache,
      force,
    };
  }

  /** RequestAuthentication documents of a file with something to check. */
  targets(model: FileModel): number {
    return ReachabilityTracker.targets(model).length;
  }

  /** Checks the file's endpoints (only those without a result, unless `force`); true when a result changed. */
  check(model: FileModel, force: boolean, shouldStop?: () => boolean): Promise<boolean> {
    if (this.network.offline) return Promise.resolve(false);
    return this.tracker.check(model, this.options(force), shouldStop);
  }

  /** The last check's findings of one document, document-relative (none when never checked). */
  findingsOf(entry: DocumentEntry): readonly Finding[] {
    if (entry.analysis.resource?.kind !== 'RequestAuthentication') return [];
    return this.tracker.reportFor(entry.segment.text)?.findings ?? [];
  }

  /** The file's JWKS findings, file-absolute (counted by explicit checks). */
  findings(model: FileModel): Finding[] {
    return this.tracker.findings(model);
  }

  /** Hover on a jwtRule's jwksUri or issuer: the last result, or why there is none. */
  hover(model: FileModel, pos: Position, whyNotChecked: string): string | undefined {
    const entry = model.documentAtLine(pos.line);
    if (!entry || entry.analysis.resource?.kind !== 'RequestAuthentication') return undefined;
    const local = { line: pos.line - entry.segment.startLine, character: pos.character };
    const rule = collectJwtRules(parseDoc(entry.segment.text)).find((r) => [r.jwksUri, r.issuer].some((v) => v && contains(v.range, local)));
    if (!rule) return undefined;
    const check = this.tracker.reportFor(entry.segment.text)?.checks.find((c) => c.ruleIndex === rule.index);
    if (!check) return `**JWKS**: not checked: ${this.network.offline ? 'offline mode is on' : whyNotChecked}.`;
    return describe(check);
  }

  /**
   * One lens per jwtRule that names a jwksUri or issuer; `cluster` is set when the URL istiod would
   * fetch only resolves inside the cluster (checked through kubectl instead).
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
