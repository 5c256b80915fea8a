/**
 * yaml-1-1-scalar: an unquoted scalar Kubernetes reads with YAML 1.1 (go-yaml v2) as another value
 * than YAML 1.2 tools do (yaml-language-server, yq, most editors): `forwardOriginalToken: yes` is
 * `true` for the API server but the string "yes" elsewhere; `number: 0443` is the octal 291. Kubernetes'
 * reading is what the engine validates; this warning says the two disagree and how to write it
 * so that every tool agrees. Where the disagreement already makes an error (a boolean in a string
 * field), the error says it instead.
 */
import type { Finding, Fix, Range } from '../diagnostics';
import { describeYamlValue, type Yaml11Disagreement } from '../model/goYaml';
import type { ParsedDoc } from '../model/parse';
import { formatPath } from './paths';

export const YAML11_CODE = 'yaml-1-1-scalar';

/** How to write the value so YAML 1.1 and 1.2 agree on what Kubernetes uses. */
function canonical(v: unknown): string | undefined {
  if (typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' ? JSON.stringify(v) : undefined;
}

/** What to write so every tool reads the same value. */
function advice(d: Yaml11Disagreement, write: string | undefined): string {
  if (write === undefined || typeof d.kubernetes === 'string') return 'Quote it so every tool reads the same string.';
  if (typeof d.yaml12 === 'number') return `Write ${write} (what Kubernetes uses), or ${String(d.yaml12)} if that is what you meant.`;
  return `Write ${write} (what Kubernetes uses), or quote it if you mean the string.`;
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

function finding(doc: ParsedDoc, d: Yaml11Disagreement): Finding {
  const range = doc.lines.range(d.range[0], d.range[1]);
  const where = formatPath(d.path);
  if (d.key) {
    const key = String(d.kubernetes);
    const fixes: Fix[] = [{ title: `Quote the key as ${JSON.stringify(key)}`, isPreferred: true, edits: [{ range, newText: JSON.stringify(key) }] }];
    return {
      code: YAML11_CODE,
      severity: 'warning',
      message: `${where}: Kubernetes reads YAML 1.1, where the unquoted key ${d.source} is ${JSON.stringify(key)}; YAML 1.2 tools read ${JSON.stringify(String(d.yaml12))}. Quote it.`,
      range,
      fixes,
    };
  }
  const write = canonical(d.kubernetes);
  const fixes: Fix[] | undefined = write !== undefined ? [{ title: `Write ${write}`, isPreferred: true, edits: [{ range, newText: write }] }] : undefined;
  const octal = typeof d.kubernetes === 'number' && /^[+-]?0[0-7]+$/.test(d.source.replace(/_/g, '')) ? ' (a leading 0 makes it octal)' : '';
  return {
    code: YAML11_CODE,
    severity: 'warning',
    message: `${where}: Kubernetes reads YAML 1.1, where unquoted ${d.source} is ${describeYamlValue(d.kubernetes)}${octal}; YAML 1.2 tools read ${describeYamlValue(d.yaml12)}. ${advice(d, write)}`,
    range,
    fixes,
  };
}

/**
 * One warning per plain scalar read differently by Kubernetes and YAML 1.2 tools, except where
 * an error is already reported on that scalar.
 */
export function checkYaml11(doc: ParsedDoc, out: Finding[]): void {
  if (doc.yaml11.length === 0) return;
  const errors = new Set(out.filter((f) => f.severity === 'error').map((f) => rangeKey(f.range)));
  for (const d of doc.yaml11) {
    const f = finding(doc, d);
    if (!errors.has(rangeKey(f.range))) out.push(f);
  }
}
