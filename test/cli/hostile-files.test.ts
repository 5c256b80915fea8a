/**
 * What `istio-sec check` (and `decode -`) are given may be anything a file system or a pipe holds
 * (issue 17): FIFOs, sockets, symlink loops, dangling links, unreadable entries, huge or binary files,
 * the same file twice, values and file names made to inject lines or escape sequences into the output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runCliAsync } from '../helpers/cli';
import { INJECTION_NAME, injectionManifest, latin1NonIstio } from '../engine/hostileInputs';
import { tempDir } from '../helpers/tmp';

const VALID = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ok\n  namespace: foo\nspec:\n  action: DENY\n  rules:\n  - from:\n    - source:\n        namespaces: [bar]\n';
const BAD = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: bad\nspec:\n  action: DENYY\n';

interface JsonFinding {
  file: string;
  severity: string;
  code: string;
  message: string;
}

const isRoot = process.getuid?.() === 0;

describe('istio-sec check on hostile file systems', () => {
  let root: string;
  let socket: net.Server | undefined;
  before(() => {
    root = tempDir('istio-sec-hostile-files-');
  });
  after(async () => {
    await new Promise<void>((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
    spawnSync('chmod', ['-R', 'u+rwx', root]);
    rmSync(root, { recursive: true, force: true });
  });

  const json = (stdout: string): JsonFinding[] => JSON.parse(stdout) as JsonFinding[];
  const skippedIn = (out: JsonFinding[]): Record<string, string> =>
    Object.fromEntries(out.filter((f) => f.code === 'file-skipped').map((f) => [f.file.slice(f.file.lastIndexOf('/') + 1), f.message]));

  it('a directory with a FIFO, a symlink loop, a dangling link, a socket and unreadable entries: every other file is checked, one warning per skipped entry, exit by the findings', async () => {
    const dir = join(root, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-valid.yaml'), VALID);
    writeFileSync(join(dir, 'b-bad.yaml'), BAD);
    assert.equal(spawnSync('mkfifo', [join(dir, 'fifo.yaml')]).status, 0, 'mkfifo');
    symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
    symlinkSync('missing.yaml', join(dir, 'dangling.yaml'));
    socket = net.createServer();
    await new Promise<void>((resolve) => socket!.listen(join(dir, 'socket.yaml'), resolve));
    mkdirSync(join(dir, 'sub'));
    symlinkSync('..', join(dir, 'sub', 'up')); // a directory loop: each directory is listed once
    writeFileSync(join(dir, 'sub', 'c-valid.yaml'), VALID.replace('name: ok', 'name: ok2'));
    // Unreadable for every user, root included: reading /proc/self/mem at offset 0 fails with EIO.
    const procMem = existsSync('/proc/self/mem');
    if (procMem) symlinkSync('/proc/self/mem', join(dir, 'eio.yaml'));
    // Mode 000: unreadable for a normal user; root reads it anyway (then it is simply checked).
    writeFileSync(join(dir, 'mode000.yaml'), VALID.replace('name: ok', 'name: ok3'));
    chmodSync(join(dir, 'mode000.yaml'), 0);
    mkdirSync(join(dir, 'closed'));
    writeFileSync(join(dir, 'closed', 'inside.yaml'), VALID.replace('name: ok', 'name: ok4'));
    chmodSync(join(dir, 'closed'), 0);
    if (isRoot) console.log('# running as root: mode-000 entries are readable by root, so they are checked; /proc/self/mem (EIO) is the unreadable file');

    const r = await runCliAsync(['check', '--offline', '--format', 'json', dir], { timeoutMs: 30_000 });
    assert.equal(r.status, 1, `exit status (the bad file has an error); stderr: ${r.stderr}`);
    const out = json(r.stdout);
    const skipped = skippedIn(out);
    const expected = ['dangling.yaml', 'fifo.yaml', 'loop.yaml', 'socket.yaml', ...(procMem ? ['eio.yaml'] : []), ...(isRoot ? [] : ['mode000.yaml', 'closed'])].sort();
    assert.deepEqual(Object.keys(skipped).sort(), expected, JSON.stringify(skipped));
    assert.match(skipped['fifo.yaml'], /FIFO/);
    assert.match(skipped['loop.yaml'], /symbolic link loop/);
    assert.match(skipped['dangling.yaml'], /missing file/);
    assert.match(skipped['socket.yaml'], /socket/);
    if (procMem) assert.match(skipped['eio.yaml'], /EIO/);
    assert.equal(out.filter((f) => f.code === 'file-skipped').length, expected.length, 'one warning per skipped entry');
    assert.ok(out.some((f) => f.file.endsWith('b-bad.yaml') && f.code === 'schema-enum'), 'the other files are checked');
    assert.equal(out.filter((f) => f.file.endsWith('c-valid.yaml')).length, 0);
  });

  it('a FIFO named *.yaml does not hang the run (it used to block forever on open)', async () => {
    const dir = join(root, 'fifo-only');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-valid.yaml'), VALID);
    assert.equal(spawnSync('mkfifo', [join(dir, 'b-fifo.yaml')]).status, 0, 'mkfifo');
    const r = await runCliAsync(['check', '--offline', dir], { timeoutMs: 20_000 });
    assert.equal(r.status, 0, `status ${r.status} (null: killed after 20 s); ${r.stderr}`);
    assert.match(r.stdout, /b-fifo\.yaml:1:1: warning file-skipped Not checked: a FIFO \(named pipe\)/);
  });

  it('exits 0 when the only findings are the skipped-entry warnings', () => {
    const dir = join(root, 'warn-only');
    mkdirSync(dir);
    writeFileSync(join(dir, 'valid.yaml'), VALID);
    symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    const r = runCli(['check', '--offline', dir]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /loop\.yaml:1:1: warning file-skipped Not checked: a symbolic link loop/);
    assert.match(r.stdout, /3 files checked: 0 errors, 2 warnings/);
  });

  it('the same file given twice (or through a directory and a link) is reported once', () => {
    const dir = join(root, 'twice');
    mkdirSync(dir);
    writeFileSync(join(dir, 'bad.yaml'), BAD);
    symlinkSync('bad.yaml', join(dir, 'alias.yaml'));
    const r = runCli(['check', '--offline', '--format', 'json', join(dir, 'bad.yaml'), join(dir, 'bad.yaml'), dir]);
    assert.equal(r.status, 1);
    assert.equal(json(r.stdout).filter((f) => f.code === 'schema-enum').length, 1, r.stdout);
  });

  it('a 1 GiB file is refused before it is read (file-too-large), and the run goes on', () => {
    const dir = join(root, 'huge');
    mkdirSync(dir);
    const fd = openSync(join(dir, 'huge.yaml'), 'w');
    ftruncateSync(fd, 1024 ** 3); // sparse: no disk space used
    closeSync(fd);
    writeFileSync(join(dir, 'z-bad.yaml'), BAD);
    const r = runCli(['check', '--offline', '--format', 'json', dir], { timeoutMs: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    const out = json(r.stdout);
    const huge = out.find((f) => f.file.endsWith('huge.yaml'));
    assert.equal(huge?.code, 'file-too-large', r.stdout);
    assert.equal(huge?.severity, 'warning');
    assert.match(huge!.message, /1073741824 bytes/);
    assert.ok(out.some((f) => f.file.endsWith('z-bad.yaml')));
  });

  it('a binary or Latin-1 file that is not an Istio manifest gets no findings (it only matters in Istio files)', () => {
    const dir = join(root, 'latin1');
    mkdirSync(dir);
    writeFileSync(join(dir, 'configmap.yaml'), latin1NonIstio());
    let x = 7;
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from(Array.from({ length: 65536 }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff)));
    const r = runCli(['check', '--offline', '--format', 'json', dir]);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(json(r.stdout), []);
  });
});

describe('istio-sec text output escapes what it prints', () => {
  let dir: string;
  before(() => {
    dir = tempDir('istio-sec-injection-');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const assertInert = (stdout: string): void => {
    for (const line of stdout.split('\n')) assert.ok(!line.startsWith('::'), `a line starts a workflow command: ${JSON.stringify(line)}`);
    assert.doesNotMatch(stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'no control character or bidi override reaches the terminal');
  };

  it('check: newlines, escape sequences and workflow commands in values and file names are shown as escapes', () => {
    const name = join(dir, 'pol\n::warning::named\u001b[2J.yaml');
    writeFileSync(name, injectionManifest());
    writeFileSync(join(dir, '::error::file.yaml'), injectionManifest());
    const r = runCli(['check', '--offline', dir], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assertInert(r.stdout);
    assert.ok(r.stdout.includes('x\\n::error file=pwned.yaml::injected'), r.stdout);
    assert.ok(r.stdout.includes('\\x9b2J\\u202etxt'), 'C1 controls and bidi overrides, which JSON quoting keeps raw, are escaped');
    assert.ok(r.stdout.includes('pol\\n::warning::named\\x1b[2J.yaml:'), r.stdout);
    assert.ok(r.stdout.includes('./::error::file.yaml:'), r.stdout);
  });

  it('simulate --format text: the policy names and values in the trace are escaped', () => {
    const file = join(dir, 'sim.yaml');
    writeFileSync(file, `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${JSON.stringify(INJECTION_NAME)}\n  namespace: default\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: ["/admin"]\n`);
    const r = runCli(['simulate', '--format', 'text', '--path', '/admin', '--method', 'GET', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^403 DENIED/);
    assertInert(r.stdout);
    assert.ok(r.stdout.includes('x\\n::error file=pwned.yaml'), r.stdout);
  });
});

describe('istio-sec decode', () => {
  it('reads at most 1 MiB of standard input', () => {
    const r = runCli(['decode', '-'], { input: 'a'.repeat(4 * 1024 * 1024) });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /standard input has more than 1048576 bytes/);
    assert.equal(r.stdout, '');
  });

  it('does not call an unverified token valid, and reports alg none', () => {
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'https://idp.example.com', sub: 'me', exp: 4102444800 })}.`;
    const r = runCli(['decode', token]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; signatureChecked: boolean; problems: string[] };
    assert.equal(out.status, 'unverified');
    assert.equal(out.signatureChecked, false);
    assert.ok(out.problems.some((p) => /alg is "none".*never accepts an unsigned token/.test(p)), JSON.stringify(out.problems));
  });
});
