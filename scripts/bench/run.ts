/**
 * `npm run bench`: the language server measured over stdio exactly as an editor drives it,
 * side by side with yaml-language-server (configured with a schema combined from schemas/),
 * and the bare `yaml` parse of each file as the floor. Prints a table and writes
 * bench/results/latest.json.
 *
 * Usage: node --import tsx scripts/bench/run.ts [--sizes 10,100,1000,5000] [--runs 3] [--no-peer] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../../test/helpers/lspClient';
import { ROOT } from '../../test/helpers/build';
import { buildPeerSchema } from './peerSchema';
import { generateDocuments, generateFile, midFilePoints } from './generate';

interface Stat {
  median: number;
  min: number;
  max: number;
}

const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)] ?? NaN, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1];
}
const QUICK = process.argv.includes('--quick');
const SIZES = arg('sizes', QUICK ? '10,100,1000' : '10,100,1000,5000').split(',').map(Number);
const RUNS = Number(arg('runs', QUICK ? '1' : '3'));
const EDITS = QUICK ? 5 : 15;
const WITH_PEER = !process.argv.includes('--no-peer');

interface ServerResult {
  openCold: Stat;
  openWarm: Stat;
  edit: Stat;
  completion?: Stat;
  hover?: Stat;
  peakRssMb: Stat;
}

function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

type Flavor = 'istio-sec' | 'yaml-language-server';

async function startServer(flavor: Flavor, schemaUri: string): Promise<LspTestClient> {
  if (flavor === 'istio-sec') return LspTestClient.start();
  const yamlSettings = {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false },
    maxItemsComputed: 100000,
    schemas: { [schemaUri]: '*.yaml' },
  };
  const client = await LspTestClient.start({
    serverArgs: [join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
    settings: { yaml: yamlSettings, http: {}, '[yaml]': {}, editor: {}, files: {} },
  });
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
  return client;
}

/**
 * Waits for the next publishDiagnostics after `count` publications, for `version` when the server
 * versions them (a republication of an older version, e.g. after cross-resource rules re-ran, does
 * not count); the peer does not version its diagnostics.
 */
async function nextPublish(client: LspTestClient, count: () => number, seen: number, lastVersion: () => number | undefined, version?: number): Promise<void> {
  await client.waitFor(() => (count() > seen && (version === undefined || lastVersion() === undefined || lastVersion() === version) ? true : undefined), 120_000, 'diagnostics');
}

async function measureServer(flavor: Flavor, text: string, schemaUri: string): Promise<ServerResult> {
  const cold: number[] = [];
  const warm: number[] = [];
  const edits: number[] = [];
  const completions: number[] = [];
  const hovers: number[] = [];
  const rss: number[] = [];
  const pts = midFilePoints(text);
  for (let run = 0; run < RUNS; run++) {
    const client = await startServer(flavor, schemaUri);
    let publishes = 0;
    let lastVersion: number | undefined;
    client.connection.onNotification('textDocument/publishDiagnostics', (p: { version?: number | null }) => {
      publishes++;
      lastVersion = p.version ?? undefined;
    });
    const uri = pathToFileURL(join(tmpdir(), `bench-${run}.yaml`)).toString();
    let seen = publishes;
    let t = now();
    client.open(uri, text);
    await nextPublish(client, () => publishes, seen, () => lastVersion, 1);
    cold.push(now() - t);

    client.close(uri);
    await client.waitFor(() => (publishes > seen + 1 || flavor !== 'istio-sec' ? true : undefined), 5000, 'close').catch(() => undefined);
    seen = publishes;
    t = now();
    client.open(uri, text);
    await nextPublish(client, () => publishes, seen, () => lastVersion, 1);
    warm.push(now() - t);

    for (let e = 0; e < EDITS; e++) {
      const insert = e % 2 === 0;
      const range = insert
        ? { start: { line: pts.nameLine, character: pts.nameChar }, end: { line: pts.nameLine, character: pts.nameChar } }
        : { start: { line: pts.nameLine, character: pts.nameChar }, end: { line: pts.nameLine, character: pts.nameChar + 1 } };
      seen = publishes;
      t = now();
      const v = client.change(uri, [{ range, text: insert ? 'x' : '' }]);
      await nextPublish(client, () => publishes, seen, () => lastVersion, v);
      edits.push(now() - t);
    }
    const caps = client.capabilities;
    for (let k = 0; k < 5; k++) {
      if (caps.completionProvider) {
        t = now();
        await client.request('textDocument/completion', { textDocument: { uri }, position: { line: pts.keyLine, character: pts.keyChar } });
        completions.push(now() - t);
      }
      if (caps.hoverProvider) {
        t = now();
        await client.request('textDocument/hover', { textDocument: { uri }, position: { line: pts.nameLine, character: 3 } });
        hovers.push(now() - t);
      }
    }
    rss.push(peakRssMb(client.proc.pid));
    await client.stop();
  }
  return {
    openCold: stat(cold),
    openWarm: stat(warm),
    edit: stat(edits),
    completion: completions.length ? stat(completions) : undefined,
    hover: hovers.length ? stat(hovers) : undefined,
    peakRssMb: stat(rss),
  };
}

/**
 * The bare `yaml` parse of the whole file, median of several runs in a separate process: parsing
 * thousands of documents leaves a large heap whose garbage collection would otherwise run
 * (on the other core) while the servers are measured.
 */
function parseFloor(text: string): Stat {
  const dir = mkdtempSync(join(tmpdir(), 'istio-sec-bench-floor-'));
  try {
    const file = join(dir, 'file.yaml');
    writeFileSync(file, text);
    const script = `const { parseAllDocuments } = require(${JSON.stringify(join(ROOT, 'node_modules', 'yaml'))});
const text = require('node:fs').readFileSync(process.argv[1], 'utf8');
const xs = [];
for (let i = 0; i < ${Math.max(3, RUNS)}; i++) { const t = process.hrtime.bigint(); parseAllDocuments(text); xs.push(Number(process.hrtime.bigint() - t) / 1e6); }
console.log(JSON.stringify(xs));`;
    const r = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`parse floor failed: ${r.stderr}`);
    return stat(JSON.parse(r.stdout) as number[]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkThroughput(docs: number): { docsPerSecond: Stat; seconds: Stat } {
  const dir = mkdtempSync(join(tmpdir(), 'istio-sec-bench-check-'));
  const all = generateDocuments(docs, 7);
  for (let f = 0; f < docs / 10; f++) writeFileSync(join(dir, `f${f}.yaml`), all.slice(f * 10, f * 10 + 10).join('---\n'));
  const secs: number[] = [];
  for (let r = 0; r < Math.max(3, RUNS); r++) {
    const t = now();
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'istio-sec.js'), 'check', '--offline', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (res.status !== 0 && res.status !== 1) throw new Error(`istio-sec check failed: ${res.stderr}`);
    secs.push((now() - t) / 1000);
  }
  rmSync(dir, { recursive: true, force: true });
  return { seconds: stat(secs), docsPerSecond: stat(secs.map((s) => docs / s)) };
}

async function indexing(docs: number, files: number): Promise<{ seconds: Stat; peakRssMb: Stat }> {
  const dir = mkdtempSync(join(tmpdir(), 'istio-sec-bench-index-'));
  const all = generateDocuments(docs, 11);
  const per = docs / files;
  for (let f = 0; f < files; f++) {
    const sub = join(dir, `team-${f % 40}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${f}.yaml`), all.slice(f * per, f * per + per).join('---\n'));
  }
  const secs: number[] = [];
  const rss: number[] = [];
  for (let r = 0; r < Math.max(1, RUNS); r++) {
    const t = now();
    const client = await LspTestClient.start({ workspaceFolder: dir });
    const res = await client.request<{ resources: number }>('istio/indexReady', {});
    secs.push((now() - t) / 1000);
    if (res.resources !== docs) throw new Error(`indexed ${res.resources} resources, expected ${docs}`);
    rss.push(peakRssMb(client.proc.pid));
    await client.stop();
  }
  rmSync(dir, { recursive: true, force: true });
  return { seconds: stat(secs), peakRssMb: stat(rss) };
}

const fmt = (s: Stat | undefined, digits = 1) => (s ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : 'n/a');
const ratio = (a: Stat | undefined, b: Stat | undefined) => (a && b && a.median > 0 ? `${(b.median / a.median).toFixed(1)}×` : 'n/a');

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(2);
  const schemaDir = mkdtempSync(join(tmpdir(), 'istio-sec-bench-schema-'));
  const schemaPath = join(schemaDir, 'istio-combined.json');
  writeFileSync(schemaPath, JSON.stringify(buildPeerSchema()));
  const schemaUri = pathToFileURL(schemaPath).toString();

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const rows: Record<string, unknown>[] = [];
  console.log(`istio-sec bench on ${machine}; ${RUNS} run(s) each; medians (min–max) in ms unless stated\n`);
  for (const n of SIZES) {
    const text = generateFile(n);
    const floor = parseFloor(text);
    const ours = await measureServer('istio-sec', text, schemaUri);
    const peer = WITH_PEER ? await measureServer('yaml-language-server', text, schemaUri) : undefined;
    rows.push({ documents: n, bytes: text.length, parseFloor: floor, istioSec: ours, yamlLanguageServer: peer });
    console.log(`${n} documents (${(text.length / 1024).toFixed(0)} KiB), bare yaml parse ${fmt(floor)}`);
    const line = (label: string, a: Stat | undefined, b: Stat | undefined) =>
      console.log(`  ${label.padEnd(22)} ${fmt(a).padEnd(26)} ${peer ? fmt(b).padEnd(30) : ''} ${peer ? `peer/ours ${ratio(a, b)}` : ''}`);
    console.log(`  ${''.padEnd(22)} ${'istio-sec'.padEnd(26)} ${peer ? 'yaml-language-server'.padEnd(30) : ''}`);
    line('open → diagnostics', ours.openCold, peer?.openCold);
    line('reopen (warm)', ours.openWarm, peer?.openWarm);
    line('edit → diagnostics', ours.edit, peer?.edit);
    line('completion', ours.completion, peer?.completion);
    line('hover', ours.hover, peer?.hover);
    line('peak RSS (MB)', ours.peakRssMb, peer?.peakRssMb);
    console.log(`  open / bare parse: ${(ours.openCold.median / floor.median).toFixed(2)}×\n`);
  }
  const check = checkThroughput(5000);
  console.log(`istio-sec check, 5,000 documents in 500 files: ${fmt(check.seconds, 2)} s, ${fmt(check.docsPerSecond, 0)} documents/s (process start included)`);
  const index = await indexing(10_000, 2_000);
  console.log(`workspace indexing, 10,000 documents in 2,000 files: ${fmt(index.seconds, 2)} s, peak RSS ${fmt(index.peakRssMb)} MB`);

  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const out = { date: new Date().toISOString(), machine, runs: RUNS, sizes: rows, check, indexing: index };
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), JSON.stringify(out, null, 2) + '\n');
  rmSync(schemaDir, { recursive: true, force: true });
  console.log('\nwritten: bench/results/latest.json');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
