import { pathToFileURL } from 'node:url';
import { codeDocUrl, type Finding, type Severity } from '../../engine/src/host/index';
import { displayPath } from './files';
import { printable, printablePath } from './printable';

export interface FileFindings {
  file: string;
  findings: Finding[];
}

export type OutputFormat = 'text' | 'json' | 'sarif';

/** `path:line:col: severity code message`, 1-based, clickable in terminals; values escaped (see printable.ts). */
export function formatText(results: readonly FileFindings[], cwd: string): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    for (const f of r.findings) {
      if (f.severity === 'error') errors++;
      if (f.severity === 'warning') warnings++;
      const msg = f.istioCode ? `${f.message} (${f.istioCode})` : f.message;
      lines.push(`${printablePath(displayPath(r.file, cwd))}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${printable(msg)}`);
    }
  }
  const files = results.length;
  lines.push(`${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

/** The documented JSON format: an array of {file, range, severity, code, message}, 0-based, file relative to cwd. */
export function formatJson(results: readonly FileFindings[], cwd: string): string {
  const out = results.flatMap((r) =>
    r.findings.map((f) => ({ file: displayPath(r.file, cwd), range: f.range, severity: f.severity, code: f.code, message: f.message })),
  );
  return JSON.stringify(out, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The SARIF base of every artifact URI: the working directory. */
const SRCROOT = '%SRCROOT%';

/** SARIF 2.1.0 for code-scanning uploads; artifact URIs are relative to %SRCROOT%, the working directory. */
export function formatSarif(results: readonly FileFindings[], cwd: string, version: string): string {
  const codes = [...new Set(results.flatMap((r) => r.findings.map((f) => f.code)))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'istio-sec',
            version,
            informationUri: codeDocUrl(''),
            rules: codes.map((id) => ({ id, helpUri: codeDocUrl(id) })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.code,
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: displayPath(r.file, cwd).split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.character + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
