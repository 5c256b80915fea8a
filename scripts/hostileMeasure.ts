/**
 * Measurements of docs/reliability.md for the hostile classes of issue 17 (not a test: timings are
 * printed, never asserted).
 *
 *   npm run fuzz -- --hostile-check [--cli path/to/bin/istio-sec.js] [--only name]
 *     Each class's worst input in a fresh `istio-sec` process: wall time, peak RSS (the process's
 *     own maxRSS, written by a preload at exit), exit status and output size. Timeout 120 s.
 *   npm run fuzz -- --hostile-lsp [--server path/to/dist/server.js] [--only name]
 *     The language server over stdio: time to the first diagnostics of each input, then 20
 *     one-character edits, each timed from didChange to the diagnostics of that version.
 *
 * `--cli` / `--server` point at another build (e.g. main's) for the "before" figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LspTestClient, fileUri } from '../test/helpers/lspClient';
import { startHttpServer } from '../test/helpers/loopbackServers';
import { badKeysJwks, duplicateKidJwks, injectionManifest, inlineJwksManifest, latin1NonIstio, RA_HEAD, yaml11Manifest } from '../test/engine/hostileInputs';

const ROOT = resolve(__dirname, '..');

interface Options {
  cli: string;
  server: string;
  only?: string;
  /** Keystrokes timed per input in --hostile-lsp (default 20). */
  keystrokes: number;
}

function options(argv: string[]): Options {
  const o: Options = { cli: join(ROOT, 'bin', 'istio-sec.js'), server: join(ROOT, 'dist', 'server.js'), keystrokes: 20 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--cli') o.cli = resolve(argv[++i]);
    else if (argv[i] === '--server') o.server = resolve(argv[++i]);
    else if (argv[i] === '--only') o.only = argv[++i];
    else if (argv[i] === '--keystrokes') o.keystrokes = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

/** One measured command: arguments, and how to feed its stdin. */
interface Run {
  name: string;
  args: (dir: string, origin: string) => string[];
  /** Writes the input files into `dir`. */
  setup?: (dir: string) => void | Promise<void>;
  /** A file whose bytes go to stdin. */
  stdin?: (dir: string) => string;
}

const DENY_ADMIN = (i: number): string =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-${i}\n  namespace: default\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: ["/admin${i}", "/admin${i}/*"]\n`;

const RUNS: Run[] = [
  { name: 'duplicate kids, inline (10,000 keys, one kid)', setup: (d) => writeFileSync(join(d, 'ra.yaml'), inlineJwksManifest(duplicateKidJwks(10_000))), args: (d) => ['check', '--offline', '--format', 'json', d] },
  { name: 'duplicate kids, fetched (6,000 keys, 918 kB)', setup: (d) => writeFileSync(join(d, 'ra.yaml'), `${RA_HEAD}    jwksUri: ORIGIN/dup.json\n`), args: (d) => ['check', '--format', 'json', d] },
  { name: 'unusable inline keys (1,000 keys)', setup: (d) => writeFileSync(join(d, 'ra.yaml'), inlineJwksManifest(badKeysJwks(1000))), args: (d) => ['check', '--offline', '--format', 'json', d] },
  {
    name: '1 GiB file (sparse)',
    setup: (d) => {
      const fd = openSync(join(d, 'huge.yaml'), 'w');
      ftruncateSync(fd, 1024 ** 3);
      closeSync(fd);
    },
    args: (d) => ['check', '--offline', '--format', 'json', d],
  },
  {
    name: 'decode - with 1 GiB on stdin',
    setup: (d) => {
      const fd = openSync(join(d, 'stdin.bin'), 'w');
      ftruncateSync(fd, 1024 ** 3);
      closeSync(fd);
    },
    stdin: (d) => join(d, 'stdin.bin'),
    args: () => ['decode', '-'],
  },
  {
    name: 'FIFO, symlink loop, dangling link, socket, EIO file',
    setup: async (d) => {
      writeFileSync(join(d, 'a.yaml'), DENY_ADMIN(0));
      spawnSync('mkfifo', [join(d, 'fifo.yaml')]);
      symlinkSync('loop.yaml', join(d, 'loop.yaml'));
      symlinkSync('missing.yaml', join(d, 'dangling.yaml'));
      symlinkSync('/proc/self/mem', join(d, 'eio.yaml'));
      mkdirSync(join(d, 'sub'));
      symlinkSync('..', join(d, 'sub', 'up'));
      const server = net.createServer();
      await new Promise<void>((r) => server.listen(join(d, 'socket.yaml'), r));
      server.unref();
    },
    args: (d) => ['check', '--offline', '--format', 'json', d],
  },
  { name: 'control characters in values (text output)', setup: (d) => writeFileSync(join(d, 'p.yaml'), injectionManifest().repeat(1)), args: (d) => ['check', '--offline', d] },
  { name: 'YAML 1.1 scalars (10,000 typed fields)', setup: (d) => writeFileSync(join(d, 'y.yaml'), yaml11Manifest(5000)), args: (d) => ['check', '--offline', '--format', 'json', d] },
  {
    name: 'simulate: 100 kB path of dot segments, 1,000 policies',
    setup: (d) => writeFileSync(join(d, 'p.yaml'), Array.from({ length: 1000 }, (_, i) => DENY_ADMIN(i)).join('---\n')),
    args: (d) => ['simulate', '--method', 'GET', '--path', `/${'a/%2e%2e/./'.repeat(9000)}admin999`, d],
  },
  {
    name: 'binary and Latin-1 files, not Istio (2 x 1 MB)',
    setup: (d) => {
      let x = 7;
      writeFileSync(join(d, 'bin.yaml'), Buffer.from(Array.from({ length: 1 << 20 }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff)));
      writeFileSync(join(d, 'latin1.yaml'), Buffer.concat(Array(20_000).fill(latin1NonIstio())));
    },
    args: (d) => ['check', '--offline', '--format', 'json', d],
  },
  {
    name: 'the same file 3 times (5,000 documents)',
    setup: (d) => writeFileSync(join(d, 'many.yaml'), Array.from({ length: 5000 }, (_, i) => DENY_ADMIN(i)).join('---\n')),
    args: (d) => ['check', '--offline', '--format', 'json', join(d, 'many.yaml'), join(d, 'many.yaml'), d],
  },
];

/** Runs one command in a fresh process; peak RSS comes from a preload writing maxRSS at exit. */
function runOne(cli: string, args: string[], stdinFile: string | undefined, rssFile: string, preload: string): Promise<{ ms: number; status: number | null; signal: string | null; stdoutBytes: number; stderr: string; peakMiB?: number }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
    const child = spawn(process.execPath, ['--require', preload, cli, ...args], { env: { ...process.env, ISTIO_SEC_RSS_FILE: rssFile }, stdio: [stdin, 'pipe', 'pipe'] });
    if (typeof stdin === 'number') closeSync(stdin);
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdoutBytes += d.length));
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-400)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      let peakMiB: number | undefined;
      try {
        peakMiB = Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024);
      } catch {
        peakMiB = undefined; // killed or crashed before exit handlers ran
      }
      done({ ms: Math.round(performance.now() - t0), status, signal, stdoutBytes, stderr, peakMiB });
    });
  });
}

export async function measureCheck(argv: string[]): Promise<void> {
  const o = options(argv);
  const tmp = mkdtempSync(join(tmpdir(), 'istio-sec-measure-'));
  const preload = join(tmp, 'rss-preload.cjs');
  writeFileSync(preload, "process.on('exit', () => require('fs').writeFileSync(process.env.ISTIO_SEC_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
  const dup = duplicateKidJwks(6000);
  const http = await startHttpServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(req.url === '/dup.json' ? dup : '{}');
  });
  try {
    for (const [i, run] of RUNS.entries()) {
      if (o.only && !run.name.includes(o.only)) continue;
      const dir = join(tmp, `case${i}`);
      mkdirSync(dir);
      await run.setup?.(dir);
      for (const f of ['ra.yaml']) {
        try {
          writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replace('ORIGIN', http.origin));
        } catch {
          /* no such file in this case */
        }
      }
      const r = await runOne(o.cli, run.args(dir, http.origin), run.stdin?.(dir), join(tmp, `rss${i}`), preload);
      console.log(JSON.stringify({ name: run.name, ...r, stderr: r.stderr.split('\n').slice(-3).join(' ').slice(0, 300) }));
      spawnSync('chmod', ['-R', 'u+rwx', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await http.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The editor's view: open each input, then time keystrokes (didChange → diagnostics of that version). */
/** The same fields written so that YAML 1.1 and 1.2 agree: what the class costs beyond the size. */
function yaml12Twin(text: string): string {
  return text.replace(/forwardOriginalToken: \w+/g, 'forwardOriginalToken: true').replace(/number: [0-9_]+/g, (_, i: number) => `number: ${1000 + (i % 60000)}`);
}

const LSP_INPUTS: Array<{ name: string; text: () => string }> = [
  { name: 'duplicate kids, inline (10,000 keys)', text: () => inlineJwksManifest(duplicateKidJwks(10_000)) },
  { name: 'unusable inline keys (1,000 keys)', text: () => inlineJwksManifest(badKeysJwks(1000)) },
  { name: 'YAML 1.1 scalars (10,000 typed fields)', text: () => yaml11Manifest(5000) },
  { name: 'YAML 1.2 twin of the above (same size, no YAML 1.1 scalar)', text: () => yaml12Twin(yaml11Manifest(5000)) },
  { name: 'YAML 1.1 scalars (1,000 typed fields)', text: () => yaml11Manifest(500) },
  { name: 'control characters in values', text: () => injectionManifest() },
];

export async function measureLsp(argv: string[]): Promise<void> {
  const o = options(argv);
  for (const input of LSP_INPUTS) {
    if (o.only && !input.name.includes(o.only)) continue;
    const client = await LspTestClient.start({ serverArgs: [o.server, '--stdio'] });
    const timeoutMs = 300_000;
    try {
      const uri = fileUri(`measure-${input.name.replace(/\W+/g, '-')}.yaml`);
      const text = input.text();
      const t0 = performance.now();
      client.open(uri, text);
      await client.diagnosticsFor(uri, 1, timeoutMs);
      const openMs = Math.round(performance.now() - t0);
      // Type into the name on line 4 ("  name: ra" or the like), then delete, 20 keystrokes.
      const line = text.split('\n').findIndex((l) => /^ {2}name: /.test(l));
      const col = text.split('\n')[line].length;
      const times: number[] = [];
      for (let k = 0; k < o.keystrokes; k++) {
        const insert = k % 2 === 0;
        const range = insert ? { start: { line, character: col }, end: { line, character: col } } : { start: { line, character: col }, end: { line, character: col + 1 } };
        const t = performance.now();
        const v = client.change(uri, [{ range, text: insert ? 'x' : '' }]);
        await client.diagnosticsFor(uri, v, timeoutMs);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(JSON.stringify({ name: input.name, chars: text.length, openMs, keystrokeMedianMs: Math.round(times[times.length >> 1]), keystrokeMaxMs: Math.round(times[times.length - 1]) }));
    } catch (err) {
      console.log(JSON.stringify({ name: input.name, failed: (err as Error).message.split(';')[0] }));
    } finally {
      await client.stop();
    }
  }
}
