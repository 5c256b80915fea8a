/**
 * `npm run bench`: the language server measured over stdio exactly as an editor drives it, on
 * realistic manifests (scripts/bench/generate.ts), side by side with yaml-language-server
 * (configured with a schema combined from schemas/), against the bare `yaml` parse of the same
 * text as the floor, and the CLI's throughput on a 20,000-document repository. Prints a table
 * with the budgets of issue 15 and writes bench/results/latest.json and latest.md.
 *
 * Usage: node --import tsx scripts/bench/run.ts [--sizes 100,1000,5000] [--runs 3] [--edits 40] [--no-peer] [--no-workspace] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../test/helpers/build';
import { generateFile, generateWorkspace } from './generate';
import { editPoint, now, peakRssMb, Publications, startServer, stat, timeRequests, typeEdits, type Flavor, type Stat } from './measure';
import { buildPeerSchema } from './peerSchema';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1];
}
const QUICK = process.argv.includes('--quick');
const SIZES = arg('sizes', QUICK ? '100,1000' : '100,1000,5000').split(',').map(Number);
const RUNS = Number(arg('runs', QUICK ? '1' : '3'));
const EDITS = Number(arg('edits', QUICK ? '10' : '40'));
const WITH_PEER = !process.argv.includes('--no-peer');
const WITH_WORKSPACE = !process.argv.includes('--no-workspace');
const WORKSPACE_FILES = 2000;
const WORKSPACE_DOCS_PER_FILE = 10;
const EDITED_FILE_DOCS = 100;

interface SingleFileResult {
  open: Stat;
  edit: Stat;
  completion: Stat;
  hover: Stat;
  peakRssMb: Stat;
}

/** One file of `text`: cold open, typing, completion, hover, peak RSS; `RUNS` fresh servers. */
async function measureFile(flavor: Flavor, text: string, schemaUri: string): Promise<SingleFileResult> {
  const open: number[] = [];
  const edits: number[] = [];
  const completion: number[] = [];
  const hover: number[] = [];
  const rss: number[] = [];
  const at = editPoint(text);
  for (let run = 0; run < RUNS; run++) {
    const client = await startServer(flavor, schemaUri);
    const pubs = new Publications(client);
    const uri = pathToFileURL(join(tmpdir(), `bench-${run}.yaml`)).toString();
    const seen = pubs.count;
    const t = now();
    client.open(uri, text);
    await pubs.next(uri, seen, 1);
    open.push(now() - t);
    edits.push(...(await typeEdits(client, pubs, uri, text, EDITS)));
    completion.push(...(await timeRequests(client, 'textDocument/completion', { textDocument: { uri }, position: { line: at.keyLine, character: 2 } }, 10)));
    hover.push(...(await timeRequests(client, 'textDocument/hover', { textDocument: { uri }, position: { line: at.line, character: 3 } }, 10)));
    rss.push(peakRssMb(client.proc.pid));
    await client.stop();
  }
  return { open: stat(open), edit: stat(edits), completion: stat(completion), hover: stat(hover), peakRssMb: stat(rss) };
}

/** Runs a script in a fresh process and parses its last stdout line as JSON. */
function inProcess<T>(script: string, ...args: string[]): T {
  const r = spawnSync(process.execPath, ['-e', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`bench helper failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null') as T;
}

const YAML = JSON.stringify(join(ROOT, 'node_modules', 'yaml'));

/**
 * The bare `yaml` parse (parseAllDocuments) of each file, summed, in a fresh process: the floor
 * every YAML tool pays. Median of runs.
 */
function parseFloorMs(dir: string): Stat {
  const script = `const { parseAllDocuments } = require(${YAML}); const fs = require('node:fs'); const path = require('node:path');
const files = []; const walk = (d) => { for (const n of fs.readdirSync(d)) { const p = path.join(d, n); if (fs.statSync(p).isDirectory()) walk(p); else files.push(fs.readFileSync(p, 'utf8')); } }; walk(process.argv[1]);
const xs = []; for (let i = 0; i < ${Math.max(3, RUNS)}; i++) { const t = process.hrtime.bigint(); for (const f of files) parseAllDocuments(f); xs.push(Number(process.hrtime.bigint() - t) / 1e6); }
console.log(JSON.stringify(xs));`;
  return stat(inProcess<number[]>(script, dir));
}

function writeTree(files: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'istio-sec-bench-'));
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

interface WorkspaceResult {
  documents: number;
  indexSeconds: Stat;
  editDuring: Stat;
  editAfter: Stat;
  peakRssMb: Stat;
}

/**
 * A repository of 2,000 files (20,000 documents) opened as a workspace folder: the 100-document
 * file is opened at once and typed into while the server indexes the rest, then after.
 */
async function measureWorkspace(flavor: Flavor, dir: string, edited: string, text: string, schemaUri: string): Promise<WorkspaceResult> {
  const during: number[] = [];
  const after: number[] = [];
  const index: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = now();
    const client = await startServer(flavor, schemaUri, dir);
    const pubs = new Publications(client);
    const uri = pathToFileURL(join(dir, edited)).toString();
    let ready = flavor !== 'istio-sec';
    const indexed = flavor === 'istio-sec' ? client.request<{ resources: number }>('istio/indexReady', {}).then(() => index.push((now() - t) / 1000), () => undefined).finally(() => (ready = true)) : Promise.resolve();
    const seen = pubs.count;
    client.open(uri, text);
    await pubs.next(uri, seen, 1);
    // While indexing: type at a typist's pace (a keystroke every 50 ms) until the index is ready.
    if (!ready) during.push(...(await typeEdits(client, pubs, uri, text, 10_000, 50, () => ready)));
    await indexed;
    after.push(...(await typeEdits(client, pubs, uri, text, EDITS)));
    rss.push(peakRssMb(client.proc.pid));
    await client.stop();
  }
  return { documents: WORKSPACE_FILES * WORKSPACE_DOCS_PER_FILE, indexSeconds: stat(index), editDuring: stat(during), editAfter: stat(after), peakRssMb: stat(rss) };
}

/** `istio-sec check --offline` on the repository: seconds and documents per second, process start included. */
function checkThroughput(dir: string, documents: number): { seconds: Stat; docsPerSecond: Stat } {
  const secs: number[] = [];
  for (let r = 0; r < Math.max(3, RUNS); r++) {
    const t = now();
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'istio-sec.js'), 'check', '--offline', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 512 << 20 });
    if (res.status !== 0 && res.status !== 1) throw new Error(`istio-sec check failed: ${res.stderr}`);
    secs.push((now() - t) / 1000);
  }
  return { seconds: stat(secs), docsPerSecond: stat(secs.map((s) => documents / s)) };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const cell = (s: Stat | undefined) => (s && s.n ? `${f1(s.p50)} / ${f1(s.p95)}` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : '**NOT met**');

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(2);
  const schemaDir = mkdtempSync(join(tmpdir(), 'istio-sec-bench-schema-'));
  const schemaUri = pathToFileURL(join(schemaDir, 'istio-combined.json')).toString();
  writeFileSync(join(schemaDir, 'istio-combined.json'), JSON.stringify(buildPeerSchema()));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const lines: string[] = [`# npm run bench`, '', `${new Date().toISOString()}, ${machine}; ${RUNS} run(s); p50 / p95 in ms unless stated.`, ''];
  const log = (s = '') => {
    console.log(s);
    lines.push(s);
  };
  const budgets: Array<[string, string, boolean]> = [];
  const sizes: Record<string, unknown>[] = [];

  log('## One file');
  log('');
  log('| documents | KiB | bare parse | server | open → diagnostics | edit → diagnostics | completion | hover | peak RSS MB |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const n of SIZES) {
    const text = generateFile(n);
    const dir = writeTree(new Map([['file.yaml', text]]));
    const floor = parseFloorMs(dir);
    rmSync(dir, { recursive: true, force: true });
    const ours = await measureFile('istio-sec', text, schemaUri);
    const peer = WITH_PEER ? await measureFile('yaml-language-server', text, schemaUri) : undefined;
    sizes.push({ documents: n, bytes: text.length, parseFloor: floor, istioSec: ours, yamlLanguageServer: peer });
    for (const [name, r] of [['istio-sec', ours], ['yaml-language-server', peer]] as const) {
      if (!r) continue;
      log(`| ${n} | ${(text.length / 1024).toFixed(0)} | ${f1(floor.p50)} | ${name} | ${f1(r.open.p50)} (${(r.open.p50 / floor.p50).toFixed(2)}× parse) | ${cell(r.edit)} | ${cell(r.completion)} | ${cell(r.hover)} | ${f1(r.peakRssMb.p50)} |`);
    }
    if (n === 1000) budgets.push(['edit → diagnostics p95 ≤ 25 ms at 1,000 documents', `${f1(ours.edit.p95)} ms`, ours.edit.p95 <= 25]);
    if (n === 5000) {
      budgets.push(['edit → diagnostics p95 ≤ 40 ms at 5,000 documents', `${f1(ours.edit.p95)} ms`, ours.edit.p95 <= 40]);
      budgets.push(['open → diagnostics ≤ 1.5 × bare parse at 5,000 documents', `${(ours.open.p50 / floor.p50).toFixed(2)}×`, ours.open.p50 <= 1.5 * floor.p50]);
      if (peer) budgets.push(['open → diagnostics ≥ 2 × faster than yaml-language-server at 5,000', `${(peer.open.p50 / ours.open.p50).toFixed(2)}×`, peer.open.p50 >= 2 * ours.open.p50]);
      budgets.push(['peak RSS ≤ 300 MB at 5,000 documents', `${f1(ours.peakRssMb.p50)} MB`, ours.peakRssMb.p50 <= 300]);
    }
  }

  let workspace: Record<string, unknown> | undefined;
  if (WITH_WORKSPACE) {
    const files = generateWorkspace(WORKSPACE_FILES - 1, WORKSPACE_DOCS_PER_FILE);
    const edited = 'team-edit/edited.yaml';
    const editedText = generateFile(EDITED_FILE_DOCS, 99).replaceAll('namespace: team-', 'namespace: edit-');
    files.set(edited, editedText);
    const documents = (WORKSPACE_FILES - 1) * WORKSPACE_DOCS_PER_FILE + EDITED_FILE_DOCS;
    const dir = writeTree(files);
    try {
      const floor = parseFloorMs(dir);
      const ours = await measureWorkspace('istio-sec', dir, edited, editedText, schemaUri);
      const peer = WITH_PEER ? await measureWorkspace('yaml-language-server', dir, edited, editedText, schemaUri) : undefined;
      const check = checkThroughput(dir, documents);
      const floorDocsPerSecond = documents / (floor.p50 / 1000);
      workspace = { files: WORKSPACE_FILES, documents, parseFloor: floor, istioSec: ours, yamlLanguageServer: peer, check, floorDocsPerSecond };
      log('');
      log(`## Workspace: ${WORKSPACE_FILES} files, ${documents} documents, typing in a ${EDITED_FILE_DOCS}-document file`);
      log('');
      log('| server | indexing s | edit during indexing | edit after indexing | peak RSS MB |');
      log('|---|---|---|---|---|');
      log(`| istio-sec | ${f1(ours.indexSeconds.p50)} | ${cell(ours.editDuring)} (${ours.editDuring.n} edits) | ${cell(ours.editAfter)} | ${f1(ours.peakRssMb.p50)} |`);
      if (peer) log(`| yaml-language-server | (none) | (no index) | ${cell(peer.editAfter)} | ${f1(peer.peakRssMb.p50)} |`);
      log('');
      log(`istio-sec check --offline: ${f1(check.seconds.p50)} s, ${check.docsPerSecond.p50.toFixed(0)} documents/s (process start included); bare single-thread parse of the same files ${f1(floor.p50 / 1000)} s = ${floorDocsPerSecond.toFixed(0)} documents/s.`);
      budgets.push(['edit p95 ≤ 30 ms in the 20,000-document workspace, after indexing', `${f1(ours.editAfter.p95)} ms`, ours.editAfter.p95 <= 30]);
      budgets.push(['edit p95 ≤ 60 ms during indexing', `${f1(ours.editDuring.p95)} ms`, ours.editDuring.n > 0 && ours.editDuring.p95 <= 60]);
      budgets.push(['peak RSS ≤ 500 MB for the workspace', `${f1(ours.peakRssMb.p50)} MB`, ours.peakRssMb.p50 <= 500]);
      budgets.push(['istio-sec check throughput ≥ bare single-thread parse', `${check.docsPerSecond.p50.toFixed(0)} vs ${floorDocsPerSecond.toFixed(0)} docs/s`, check.docsPerSecond.p50 >= floorDocsPerSecond]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  log('');
  log('## Budgets (issue 15)');
  log('');
  log('| budget | measured | |');
  log('|---|---|---|');
  for (const [what, value, ok] of budgets) log(`| ${what} | ${value} | ${verdict(ok)} |`);

  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const out = { date: new Date().toISOString(), machine, runs: RUNS, edits: EDITS, sizes, workspace, budgets: budgets.map(([what, value, met]) => ({ what, value, met })) };
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.md'), lines.join('\n') + '\n');
  rmSync(schemaDir, { recursive: true, force: true });
  console.log('\nwritten: bench/results/latest.json, bench/results/latest.md');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
