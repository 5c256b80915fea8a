import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { AnalysisHost, defaultWorkerCount, checkHelmChart, checkKustomize, compareFindings, DEFAULT_HOST_SETTINGS, MAX_FILE_BYTES, type Finding } from '../../../engine/src/host/index';
import { parseCliArgs } from '../args';
import { collectInputs, ensureReadable, readSource, type SkippedEntry } from '../files';
import { formatJson, formatSarif, formatText, type FileFindings, type OutputFormat } from '../format';
import { EXIT, UsageError, type CliIO, type Command } from '../io';
import { VERSION } from '../version';

export const CHECK_USAGE = `Usage: istio-sec check [--format text|json|sarif] [--offline] [<file or dir>...]
                       [--helm <chart dir> [--values <file>]...] [--kustomize <dir>]...
Validates Istio manifests; directories are searched for .yaml and .yml files. Helm chart templates
are checked without rendering (template actions masked).
  --helm <chart>      render the chart with \`helm template\` (helm must be on PATH) and check the
                      output; findings are placed in the templates (# Source: comments)
  --values <file>     a values file for --helm (repeatable)
  --kustomize <dir>   render the overlay with \`kubectl kustomize\` and check the output; findings are
                      placed in the resource file, patch or kustomization that produced them
Exit status: 0 no error, 1 errors reported, 2 usage or internal failure (or the renderer is missing or failed).`;

export interface CheckOptions {
  /** Make no network request (no JWKS or OIDC discovery fetch). */
  offline: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Below this many documents, starting worker threads costs more than they save. */
const PARALLEL_MIN_DOCUMENTS = 1000;

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The warning for a path that was not read (FIFO, socket, symlink loop, unreadable...). */
export function skippedFinding(reason: string): Finding {
  return { code: 'file-skipped', severity: 'warning', message: `Not checked: ${reason}.`, range: FILE_START };
}

/** The warning for a file over the size the validator reads (found before reading it). */
function tooLargeFinding(bytes: number): Finding {
  return { code: 'file-too-large', severity: 'warning', message: `This file has ${bytes} bytes or more, more than the ${MAX_FILE_BYTES} the validator reads; it was not read or validated.`, range: FILE_START };
}

/**
 * Checks files with the same engine as the language server: per document, cross-file, and JWKS
 * endpoints unless offline. `inputs` are paths to read, or entries collectInputs skipped (each
 * becomes one file-skipped warning, in its place).
 */
export async function checkFiles(inputs: ReadonlyArray<string | SkippedEntry>, opts: CheckOptions = { offline: true }): Promise<FileFindings[]> {
  const files = inputs.filter((e): e is string => typeof e === 'string');
  const reads = files.map(readSource);
  // One host over every file, as the language server has over a workspace folder.
  const host = new AnalysisHost({
    settings: { ...DEFAULT_HOST_SETTINGS, network: { offline: opts.offline, env: opts.env } },
    workerScript: join(__dirname, 'analysisWorker.js'),
    workers: defaultWorkerCount(cpus().length, process.env),
  });
  // Thousands of documents: analysed on every core first (the bundle ships the worker beside the CLI).
  await host.preload(
    reads.flatMap((r) => (r.ok ? [r.source.text] : [])),
    PARALLEL_MIN_DOCUMENTS,
  ).catch(() => 0);
  files.forEach((file, i) => {
    const r = reads[i];
    if (r.ok) host.setFile(file, r.source.text);
  });
  const results = new Map<string, FileFindings>();
  for (const [i, file] of files.entries()) {
    const read = reads[i];
    if (!read.ok) {
      results.set(file, { file, findings: [read.tooLarge !== undefined ? tooLargeFinding(read.tooLarge) : skippedFinding(read.reason)] });
      continue;
    }
    if (!opts.offline) await host.checkJwks(file);
    let findings = host.diagnostics(file);
    // A file that is not UTF-8 matters only when it holds Istio documents (other YAML gets no findings).
    const bad = read.source.invalidUtf8At;
    if (bad !== undefined && host.status(file, findings).istioDocuments > 0) {
      findings = [
        {
          code: 'file-invalid-utf8',
          severity: 'error',
          message: `The file is not valid UTF-8 (first bad byte at offset ${bad}): kubectl and the API server reject it. Save it as UTF-8; invalid bytes were read as U+FFFD.`,
          range: FILE_START,
        },
        ...findings,
      ];
    }
    results.set(file, { file, findings });
  }
  host.dispose();
  // Skipped entries take their place in the traversal order.
  return inputs.map((e) => (typeof e === 'string' ? results.get(e)! : { file: e.path, findings: [skippedFinding(e.reason)] }));
}

/** A chart or overlay to render and check. */
type RenderRequest = { kind: 'helm'; dir: string; values: readonly string[] } | { kind: 'kustomize'; dir: string };

/** Renders and checks one chart or overlay: findings per source file, or why it could not. */
async function checkRender(req: RenderRequest, io: CliIO): Promise<FileFindings[] | string> {
  const dir = resolve(io.cwd, req.dir);
  const r =
    req.kind === 'helm'
      ? await checkHelmChart(dir, req.values.map((v) => resolve(io.cwd, v)), { env: io.env })
      : await checkKustomize(dir, { env: io.env, label: req.dir });
  if (!r.ok) return r.message;
  return [...r.findings].map(([file, findings]) => ({ file, findings }));
}

/** Adds rendered findings to the file results (a file checked both ways gets both lists). */
function mergeResults(results: FileFindings[], more: readonly FileFindings[]): void {
  for (const m of more) {
    const same = results.find((r) => r.file === m.file);
    if (same) same.findings = [...same.findings, ...m.findings].sort(compareFindings);
    else results.push(m);
  }
}

export const check: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      offline: { type: 'boolean', default: false },
      helm: { type: 'string', multiple: true },
      values: { type: 'string', multiple: true },
      kustomize: { type: 'string', multiple: true },
    },
  });
  const format = values.format as OutputFormat;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown --format '${format}' (expected text, json or sarif)`);
  const renders: RenderRequest[] = [
    ...(values.helm ?? []).map((dir): RenderRequest => ({ kind: 'helm', dir, values: values.values ?? [] })),
    ...(values.kustomize ?? []).map((dir): RenderRequest => ({ kind: 'kustomize', dir })),
  ];
  if (values.values?.length && !values.helm?.length) throw new UsageError('--values goes with --helm <chart>');
  if (positionals.length === 0 && renders.length === 0) throw new UsageError('check needs at least one file or directory (or --helm / --kustomize)');
  for (const p of [...(values.helm ?? []), ...(values.kustomize ?? []), ...(values.values ?? [])]) ensureReadable(p, io.cwd);
  const inputs = collectInputs(positionals, io.cwd);
  const results = await checkFiles(inputs.entries, { offline: values.offline === true, env: io.env });
  for (const req of renders) {
    const rendered = await checkRender(req, io);
    if (typeof rendered === 'string') {
      io.stderr(`istio-sec check: ${rendered}\n`);
      return EXIT.usage;
    }
    mergeResults(results, rendered);
  }
  if (format === 'json') io.stdout(formatJson(results, io.cwd));
  else if (format === 'sarif') io.stdout(formatSarif(results, io.cwd, VERSION));
  else io.stdout(formatText(results, io.cwd));
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT.findings : EXIT.ok;
};
