/**
 * The engine's own diagnostic vocabulary. Nothing here knows about LSP or VS Code:
 * server/ converts these to LSP diagnostics, cli/ prints them.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** 0-based line and UTF-16 character, exactly like LSP positions. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: one or more edits on the same file, applied together. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix an editor may apply without asking (e.g. "fix all"). */
  isPreferred?: boolean;
}

export interface RelatedLocation {
  /** File path or URI of the other resource; undefined means "same file". */
  file?: string;
  range: Range;
  message: string;
}

export interface Finding {
  /** Stable code, documented in docs/diagnostics.md. */
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** The istioctl analyze code (IST0xxx) when Istio has an equivalent. */
  istioCode?: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Marks removed or deprecated constructs (rendered struck through by editors). */
  tags?: Array<'deprecated' | 'unnecessary'>;
}

export const SEVERITY_ORDER: Record<Severity, number> = {
  error: 0,
  warning: 1,
  information: 2,
  hint: 3,
};

export function shiftRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return {
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  };
}

export function shiftFinding(f: Finding, lines: number): Finding {
  if (lines === 0) return f;
  return {
    ...f,
    range: shiftRange(f.range, lines),
    fixes: f.fixes?.map((fix) => ({
      ...fix,
      edits: fix.edits.map((e) => ({ ...e, range: shiftRange(e.range, lines) })),
    })),
    related: f.related?.map((rel) => (rel.file === undefined ? { ...rel, range: shiftRange(rel.range, lines) } : rel)),
  };
}

/** At most this many findings of one code are listed per document; the rest are summed up in one more (boundedPerCode). */
export const FINDINGS_PER_CODE = 100;

/**
 * Keeps the first `limit` findings of each code (in document order) and replaces the rest of a
 * code by one finding at the first one left out, with the highest severity among them and their
 * count: a document with 10,000 copies of one mistake stays readable, and its publication small.
 */
export function boundedPerCode(findings: readonly Finding[], limit = FINDINGS_PER_CODE): Finding[] {
  if (findings.length <= limit) return findings as Finding[];
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  if (![...counts.values()].some((n) => n > limit)) return findings as Finding[];
  const ordered = [...findings].sort(compareFindings);
  const kept: Finding[] = [];
  const hidden = new Map<string, Finding[]>();
  const seen = new Map<string, number>();
  for (const f of ordered) {
    const n = (seen.get(f.code) ?? 0) + 1;
    seen.set(f.code, n);
    if (n <= limit) kept.push(f);
    else {
      const rest = hidden.get(f.code);
      if (rest) rest.push(f);
      else hidden.set(f.code, [f]);
    }
  }
  for (const [code, rest] of hidden) {
    const first = rest[0];
    const severity = rest.reduce<Severity>((s, f) => (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[s] ? f.severity : s), first.severity);
    const more = rest.length - 1;
    kept.push({
      code,
      severity,
      range: first.range,
      message: `${first.message} (and ${more.toLocaleString('en-US')} more ${code} finding${more === 1 ? '' : 's'} after this one in this document, not listed: the first ${limit} of each code are)`,
      fixes: first.fixes,
      istioCode: first.istioCode,
    });
  }
  return kept;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code)
  );
}

/** Where the documentation lives; editors link codes there (LSP codeDescription). */
export const DOCS_BASE_URL = 'https://github.com/istio-sec/istio-security-vscode/blob/main/docs';

/** The page documenting a code, by its prefix (docs/diagnostics.md indexes them all). */
export function codeDocPage(code: string): string {
  const prefix = code.split('-')[0];
  switch (prefix) {
    case 'authz':
    case 'reqauth':
    case 'peerauth':
    case 'workload':
      return 'diagnostics/security.md';
    case 'gateway':
    case 'vs':
    case 'dr':
    case 'se':
    case 'host':
    case 'tls':
      return 'diagnostics/networking.md';
    case 'jwks':
      return 'diagnostics/jwks.md';
    case 'jwt':
      return 'diagnostics/jwt.md';
    case 'xref':
      return 'diagnostics/workspace.md';
    case 'helm':
    case 'placeholder':
      return 'diagnostics/templates.md';
    default:
      return 'diagnostics.md';
  }
}

export function codeDocUrl(code: string): string {
  return code ? `${DOCS_BASE_URL}/${codeDocPage(code)}#${code.toLowerCase()}` : `${DOCS_BASE_URL}/diagnostics.md`;
}
