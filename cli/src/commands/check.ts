import { parseArgs } from 'node:util';
import { AnalysisHost, DEFAULT_HOST_SETTINGS } from '../../../engine/src/host/index';
import { collectYamlFiles, readSource, type SourceFile } from '../files';
import { formatJson, formatSarif, formatText, type FileFindings, type OutputFormat } from '../format';
import { EXIT, UsageError, type Command } from '../io';
import { VERSION } from '../version';

export const CHECK_USAGE = `Usage: istio-sec check [--format text|json|sarif] [--offline] <file or dir>...
Validates Istio manifests; directories are searched for .yaml and .yml files.
Exit status: 0 no error, 1 errors reported, 2 usage or internal failure.`;

export interface CheckOptions {
  /** Make no network request (no JWKS or OIDC discovery fetch). */
  offline: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Checks files with the same engine as the language server: per document, cross-file, and JWKS endpoints unless offline. */
export async function checkFiles(files: readonly string[], opts: CheckOptions = { offline: true }): Promise<FileFindings[]> {
  const sources: SourceFile[] = files.map(readSource);
  // One host over every file, as the language server has over a workspace folder.
  const host = new AnalysisHost({ settings: { ...DEFAULT_HOST_SETTINGS, network: { offline: opts.offline, env: opts.env } } });
  files.forEach((file, i) => host.setFile(file, sources[i].text));
  const results: FileFindings[] = [];
  for (const [i, file] of files.entries()) {
    if (!opts.offline) await host.checkJwks(file);
    let findings = host.diagnostics(file);
    const bad = sources[i].invalidUtf8At;
    if (bad !== undefined) {
      findings = [
        {
          code: 'file-invalid-utf8',
          severity: 'error',
          message: `The file is not valid UTF-8 (first bad byte at offset ${bad}): kubectl and the API server reject it. Save it as UTF-8; invalid bytes were read as U+FFFD.`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
        ...findings,
      ];
    }
    results.push({ file, findings });
  }
  return results;
}

export const check: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      offline: { type: 'boolean', default: false },
    },
  });
  const format = values.format as OutputFormat;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown --format '${format}' (expected text, json or sarif)`);
  if (positionals.length === 0) throw new UsageError('check needs at least one file or directory');
  let files: string[];
  try {
    files = collectYamlFiles(positionals, io.cwd);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const results = await checkFiles(files, { offline: values.offline === true, env: io.env });
  if (format === 'json') io.stdout(formatJson(results));
  else if (format === 'sarif') io.stdout(formatSarif(results, io.cwd, VERSION));
  else io.stdout(formatText(results, io.cwd));
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT.findings : EXIT.ok;
};
