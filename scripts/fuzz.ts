/**
 * Long fuzz campaigns of the engine (issue 12).
 *
 *   npm run fuzz -- --inputs 100000 [--seed 42] [--slow-ms 2000] [--no-save]
 *   npm run fuzz -- --hostile      time and peak memory of each hostile YAML input, one process each
 *
 * Half the inputs are mutations of the seed corpus (examples/, test fixtures, the real-world
 * manifests read in place), half are grammar-generated Istio documents (kinds and fields from
 * schemas/). Every input must satisfy checkEngineInput (no exception, ranges inside the document,
 * incremental edit == full update) within --slow-ms. A failing input is minimised line by line and
 * saved to test/fixtures/fuzz/ (replayed by test/engine/fuzz-regressions.test.ts). Prints a JSON
 * summary at the end.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FileModel } from '../engine/src/model/fileModel';
import { checkEngineInput, FUZZ_FIXTURES, HOSTILE_YAML, grammarTextArb, mutatedTextArb, realWorldTexts, seedCorpus } from '../test/engine/fuzzHarness';

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

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--hostile') return measureHostile();
  if (argv[0] === '--hostile-one') return measureOne(argv[1]);
  const opts = parseArgs(argv);
  const seeds = seedCorpus();
  const realworld = new Set(realWorldTexts());
  const caseArb: fc.Arbitrary<Case> = fc.oneof(
    fc.nat(seeds.length - 1).chain((i) => mutatedTextArb([seeds[i]]).map((text) => ({ text, base: seeds[i] }))),
    grammarTextArb().map((text) => ({ text })),
  );
  const batch = 1000;
  const failures: Array<{ failure: string; file?: string }> = [];
  let done = 0;
  let slowest = 0;
  const t0 = performance.now();
  for (let b = 0; done < opts.inputs; b++) {
    const n = Math.min(batch, opts.inputs - done);
    for (const c of fc.sample(caseArb, { numRuns: n, seed: opts.seed + b })) {
      const t = performance.now();
      const failure = failureOf(c, opts.slowMs);
      slowest = Math.max(slowest, performance.now() - t);
      if (failure) {
        const small = minimise(c, opts.slowMs, failure);
        const file = opts.save ? save(small, failure, realworld, opts.slowMs) : undefined;
        failures.push({ failure: failure.split('\n')[0], file });
        console.error(`FAIL #${done}: ${failure.split('\n')[0]}${file ? ` -> ${file}` : ''}`);
      }
    }
    done += n;
    if ((b + 1) % 10 === 0) console.error(`${done} inputs, ${failures.length} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = { inputs: done, seed: opts.seed, seconds: Math.round(seconds), inputsPerSecond: Math.round(done / seconds), slowestMs: Math.round(slowest), failures };
  console.log(JSON.stringify(summary, null, 2));
  process.exitCode = failures.length ? 1 : 0;
}

main();
