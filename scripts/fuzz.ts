/**
 * Long fuzz campaigns of the engine (issues 12 and 17).
 *
 *   npm run fuzz -- --inputs 100000 [--seed 42] [--slow-ms 2000] [--no-save]
 *   npm run fuzz -- --hostile        time and peak memory of each hostile YAML input, one process each
 *   npm run fuzz -- --hostile-check  time and peak RSS of `istio-sec check` (and decode, simulate) on
 *                                    the worst input of each class of issue 17, one process each
 *   npm run fuzz -- --hostile-lsp    keystroke latency of the language server (LSP over stdio) on them
 *
 * Of the inputs, 2/11 are mutations of the seed corpus (examples/, test fixtures, the real-world
 * manifests read in place), 2/11 grammar-generated Istio documents (kinds and fields from
 * schemas/), and 1/11 each of the hostile classes of issue 17 (test/engine/hostileFuzz.ts: inline
 * key sets with duplicate kids, with unusable keys, YAML 1.1 scalars in typed fields, control
 * characters in values, request paths, LSP frames, non-regular files). Engine inputs must satisfy
 * checkEngineInput (no exception, ranges inside the document, incremental edit == full update),
 * the hostile classes their own property, each within --slow-ms. A failing engine input is
 * minimised line by line and saved to test/fixtures/fuzz/ (replayed by
 * test/engine/fuzz-regressions.test.ts); a failing hostile case is printed. Prints a JSON summary.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FileModel } from '../engine/src/model/fileModel';
import { checkEngineInput, FUZZ_FIXTURES, HOSTILE_YAML, grammarTextArb, mutatedTextArb, realWorldTexts, seedCorpus } from '../test/engine/fuzzHarness';
import { HOSTILE_CLASSES, hostileCaseArb, type HostileCase } from '../test/engine/hostileFuzz';
import { measureCheck, measureLsp } from './hostileMeasure';

interface Options {
  inputs: number;
  seed: number;
  slowMs: number;
  save: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { inputs: 10_000, seed: Date.now() % 1_000_000, slowMs: 2000, save: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--inputs') opts.inputs = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--slow-ms') opts.slowMs = Number(argv[++i]);
    else if (a === '--no-save') opts.save = false;
    else throw new Error(`fuzz: unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.inputs) || opts.inputs <= 0) throw new Error('fuzz: --inputs must be a positive integer');
  return opts;
}

interface Case {
  text: string;
  base?: string;
}

type AnyCase = { kind: 'engine'; c: Case } | { kind: 'hostile'; h: HostileCase };

/** The failure of a hostile-class case (its property, or over the time bound), or undefined. */
async function hostileFailureOf(h: HostileCase, slowMs: number): Promise<string | undefined> {
  h.setup?.();
  const t0 = performance.now();
  try {
    await h.check();
  } catch (err) {
    return `${h.cls}: ${(err as Error).message}`;
  }
  const ms = performance.now() - t0;
  return ms > slowMs ? `${h.cls}: slow: ${ms.toFixed(0)} ms > ${slowMs} ms` : undefined;
}

/** The failure of one case (exception or over the time bound), or undefined. */
function failureOf(c: Case, slowMs: number): string | undefined {
  const t0 = performance.now();
  try {
    checkEngineInput(c.text, c.base);
  } catch (err) {
    return (err as Error).stack ?? String(err);
  }
  const ms = performance.now() - t0;
  return ms > slowMs ? `slow: ${ms.toFixed(0)} ms > ${slowMs} ms` : undefined;
}

/** Removes lines (then characters) of the failing text while the same kind of failure remains. */
function minimise(c: Case, slowMs: number, failure: string): Case {
  const kind = failure.split('\n')[0].replace(/\d+/g, 'N');
  const stillFails = (t: string): boolean => {
    const f = failureOf({ text: t, base: c.base }, slowMs);
    return f !== undefined && f.split('\n')[0].replace(/\d+/g, 'N') === kind;
  };
  let lines = c.text.split('\n');
  for (let chunk = Math.max(1, lines.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let i = 0; i < lines.length; ) {
      const next = [...lines.slice(0, i), ...lines.slice(i + chunk)];
      if (next.length < lines.length && stillFails(next.join('\n'))) lines = next;
      else i += chunk;
    }
  }
  return { text: lines.join('\n'), base: c.base };
}

/**
 * Saves the minimised case. The base text (a seed, possibly a third-party real-world file) is kept
 * only when the failure needs it (incremental edits) and the base is not a real-world file: those
 * are read in place and never copied into the repository.
 */
function save(c: Case, failure: string, realworld: ReadonlySet<string>, slowMs: number): string {
  mkdirSync(FUZZ_FIXTURES, { recursive: true });
  if (c.base !== undefined && (realworld.has(c.base) || failureOf({ text: c.text }, slowMs) !== undefined)) c = { text: c.text };
  const id = createHash('sha256').update(c.text).update(c.base ?? '').digest('hex').slice(0, 12);
  const file = join(FUZZ_FIXTURES, `${id}.json`);
  writeFileSync(file, JSON.stringify({ found: new Date().toISOString(), failure: failure.split('\n')[0], ...c }, null, 2) + '\n');
  return file;
}

/** Analyses one hostile input in this process; prints its figures as JSON. */
function measureOne(name: string): void {
  const text = HOSTILE_YAML[name]();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = new FileModel();
  model.update(text);
  const findings = model.findings();
  const ms = performance.now() - t0;
  const codes = [...new Set(findings.map((f) => f.code))].slice(0, 4);
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ name, chars: text.length, ms: Math.round(ms), findings: findings.length, codes, baseMiB: Math.round(rssBefore / 2 ** 20), peakMiB: Math.round(peakMiB) }));
}

/** Each hostile input in a fresh process (peak RSS is per process). */
function measureHostile(): void {
  for (const name of Object.keys(HOSTILE_YAML)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--hostile-one', name], { encoding: 'utf8', timeout: 300_000 });
    process.stdout.write(r.status === 0 ? r.stdout : `${JSON.stringify({ name, status: r.status, signal: r.signal, stderr: r.stderr.slice(-500) })}\n`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--hostile') return measureHostile();
  if (argv[0] === '--hostile-one') return measureOne(argv[1]);
  if (argv[0] === '--hostile-check') return measureCheck(argv.slice(1));
  if (argv[0] === '--hostile-lsp') return measureLsp(argv.slice(1));
  const opts = parseArgs(argv);
  const seeds = seedCorpus();
  const realworld = new Set(realWorldTexts());
  const caseArb: fc.Arbitrary<AnyCase> = fc.oneof(
    { weight: 2, arbitrary: fc.nat(seeds.length - 1).chain((i) => mutatedTextArb([seeds[i]]).map((text): AnyCase => ({ kind: 'engine', c: { text, base: seeds[i] } }))) },
    { weight: 2, arbitrary: grammarTextArb().map((text): AnyCase => ({ kind: 'engine', c: { text } })) },
    ...HOSTILE_CLASSES.map((cls) => ({ weight: 1, arbitrary: hostileCaseArb(cls).map((h): AnyCase => ({ kind: 'hostile', h })) })),
  );
  const batch = 1000;
  const failures: Array<{ failure: string; file?: string; input?: string }> = [];
  const perClass: Record<string, number> = {};
  let done = 0;
  let slowest = 0;
  const t0 = performance.now();
  for (let b = 0; done < opts.inputs; b++) {
    const n = Math.min(batch, opts.inputs - done);
    for (const a of fc.sample(caseArb, { numRuns: n, seed: opts.seed + b })) {
      const cls = a.kind === 'hostile' ? a.h.cls : a.c.base !== undefined ? 'mutation' : 'grammar';
      perClass[cls] = (perClass[cls] ?? 0) + 1;
      const t = performance.now();
      const failure = a.kind === 'hostile' ? await hostileFailureOf(a.h, opts.slowMs) : failureOf(a.c, opts.slowMs);
      slowest = Math.max(slowest, performance.now() - t);
      if (!failure) continue;
      if (a.kind === 'hostile') {
        failures.push({ failure: failure.split('\n')[0], input: a.h.describe() });
        console.error(`FAIL #${done}: ${failure.split('\n')[0]}\n  input: ${a.h.describe()}`);
        continue;
      }
      const small = minimise(a.c, opts.slowMs, failure);
      const file = opts.save ? save(small, failure, realworld, opts.slowMs) : undefined;
      failures.push({ failure: failure.split('\n')[0], file });
      console.error(`FAIL #${done}: ${failure.split('\n')[0]}${file ? ` -> ${file}` : ''}`);
    }
    done += n;
    if ((b + 1) % 10 === 0) console.error(`${done} inputs, ${failures.length} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = { inputs: done, seed: opts.seed, seconds: Math.round(seconds), inputsPerSecond: Math.round(done / seconds), slowestMs: Math.round(slowest), perClass, failures };
  console.log(JSON.stringify(summary, null, 2));
  process.exitCode = failures.length ? 1 : 0;
}

void main();
