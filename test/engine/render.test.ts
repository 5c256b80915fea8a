/**
 * Rendered checks: Kustomize overlays rendered by the real `kubectl kustomize` (local bases, no
 * cluster), and Helm output mapped back through its `# Source:` comments.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/src/diagnostics';
import { checkKustomize, findOnPath, type FindingsByFile } from '../../engine/src/render/index';
import { checkRendered } from '../../engine/src/render/check';
import { runFailure, runTool } from '../../engine/src/render/exec';
import { helmObjects, helmSourceFile, splitHelmOutput } from '../../engine/src/render/helm';
import { ROOT } from '../helpers/build';

const KZ = join(ROOT, 'test', 'fixtures', 'kustomize');
const CHART = join(ROOT, 'test', 'fixtures', 'helm', 'authz-chart');
const hasKubectl = findOnPath('kubectl') !== undefined;
if (!hasKubectl) console.log('skipped: kubectl kustomize tests (kubectl is not on PATH)');

/** `relative-file:line:col severity code` of every finding, 1-based. */
function summary(byFile: FindingsByFile, severities: readonly string[] = ['error', 'warning']): string[] {
  const out: string[] = [];
  for (const [file, fs] of byFile) {
    for (const f of fs) if (severities.includes(f.severity)) out.push(`${file.slice(ROOT.length + 1)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code}`);
  }
  return out.sort();
}

function lineCol(file: string, needle: string): string {
  const text = readFileSync(file, 'utf8');
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function wrapperDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('istio-sec-kustomize-'));
}

describe('kubectl kustomize: rendered overlays, findings placed in their sources', { skip: !hasKubectl }, () => {
  it('a patch that sets an invalid field: the error is in the patch file, at the field', async () => {
    const before = wrapperDirs();
    const r = await checkKustomize(join(KZ, 'overlays', 'bad-patch'));
    assert.ok(r.ok, JSON.stringify(r));
    const patch = join(KZ, 'overlays', 'bad-patch', 'authz-patch.yaml');
    assert.deepEqual(summary(r.findings), [`test/fixtures/kustomize/overlays/bad-patch/authz-patch.yaml:${lineCol(patch, 'Allow')} error schema-enum`]);
    const f = r.findings.get(patch)?.[0] as Finding;
    assert.match(f.message, /spec\.action: "Allow" is not a supported value.*\[kubectl kustomize .*bad-patch: AuthorizationPolicy allow-web\]$/);
    assert.equal(f.fixes, undefined, 'no quick fix: it would edit the rendered text');
    assert.deepEqual(wrapperDirs(), before, 'the temporary wrapper kustomization is removed');
  });

  it('an inline JSON 6902 patch: the error is inside the kustomization, on the patch value', async () => {
    const r = await checkKustomize(join(KZ, 'overlays', 'inline-json6902'));
    assert.ok(r.ok, JSON.stringify(r));
    const k = join(KZ, 'overlays', 'inline-json6902', 'kustomization.yaml');
    assert.deepEqual(summary(r.findings), [`test/fixtures/kustomize/overlays/inline-json6902/kustomization.yaml:${lineCol(k, 'issuer.example.com/keys')} error schema-cel`]);
  });

  it('an object that comes unchanged from a base resource file: the error is in that file (through namePrefix and namespace)', async () => {
    const r = await checkKustomize(join(KZ, 'overlays', 'prefixed'));
    assert.ok(r.ok, JSON.stringify(r));
    const gw = join(KZ, 'base-broken', 'gateway.yaml');
    assert.deepEqual(summary(r.findings), [`test/fixtures/kustomize/base-broken/gateway.yaml:${lineCol(gw, 'HTTPX')} error gateway-protocol-invalid`]);
    assert.match(r.findings.get(gw)?.[0].message ?? '', /Gateway dev-web\]$/);
  });

  it('a valid overlay has no error or warning; cross-resource rules run on the rendered set', async () => {
    const r = await checkKustomize(join(KZ, 'overlays', 'good'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.objects, 2);
    assert.deepEqual(summary(r.findings), []);
    assert.deepEqual(summary(r.findings, ['information']), ['test/fixtures/kustomize/base/reqauth.yaml:2:7 information xref-reqauth-without-policy']);
  });

  it('says why when the directory is not an overlay, or kubectl fails on it', async () => {
    const notOverlay = await checkKustomize(join(KZ, 'base-broken', 'gateway.yaml'));
    assert.deepEqual(notOverlay.ok ? 'ok' : notOverlay.reason, 'bad-input');
    const missing = await checkKustomize(join(KZ, 'overlays'), { kubectl: join(KZ, 'no-such-kubectl') });
    assert.equal(missing.ok ? 'ok' : missing.reason, 'bad-input');
    const noTool = await checkKustomize(join(KZ, 'overlays', 'good'), { kubectl: join(KZ, 'no-such-kubectl') });
    assert.ok(!noTool.ok && noTool.reason === 'missing-tool' && /kubectl was not found/.test(noTool.message), JSON.stringify(noTool));
  });
});

describe('helm template output: # Source: mapping', () => {
  const output = readFileSync(join(ROOT, 'test', 'fixtures', 'helm', 'authz-chart.rendered.yaml'), 'utf8');
  const read = (f: string): string | undefined => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  };

  it('splits the output by document with each Source path', () => {
    assert.deepEqual(splitHelmOutput(output).map((d) => d.source), ['authz-chart/templates/authz.yaml', 'authz-chart/templates/reqauth.yaml', 'authz-chart/templates/reqauth.yaml']);
    assert.equal(helmSourceFile('/c/mychart', 'mychart/charts/sub/templates/x.yaml'), join('/c/mychart', 'charts', 'sub', 'templates', 'x.yaml'));
  });

  it('places each finding in its template: literal fields at themselves, templated values at the action', () => {
    const byFile = checkRendered(helmObjects(output, CHART, read));
    const authz = join(CHART, 'templates', 'authz.yaml');
    const reqauth = join(CHART, 'templates', 'reqauth.yaml');
    assert.deepEqual(summary(byFile), [
      `test/fixtures/helm/authz-chart/templates/authz.yaml:${lineCol(authz, 'Allow')} error schema-enum`,
      `test/fixtures/helm/authz-chart/templates/authz.yaml:${lineCol(authz, '"{{ .Values.port }}"')} error authz-port-invalid`,
      // The second document of reqauth.yaml (the ServiceEntry), at its templated port.
      `test/fixtures/helm/authz-chart/templates/reqauth.yaml:${lineCol(reqauth, '{{ .Values.port }}')} error schema-cel`,
    ]);
  });
});

describe('runTool: a renderer as a child process (util/src/run.ts)', () => {
  const node = process.execPath;

  it('passes arguments without a shell and collects both streams', async () => {
    const r = await runTool(node, ['-e', 'process.stdout.write(process.argv[1]); process.stderr.write("e")', '$(echo no) ; x']);
    assert.deepEqual([r.exitCode, r.stdout, r.stderr, runFailure(r)], [0, '$(echo no) ; x', 'e', undefined]);
  });

  it('a timeout of 0 is no limit (istioSecurity.kubectl.timeoutSeconds: 0), a positive one stops the program', async () => {
    const waits = ['-e', 'setTimeout(() => process.stdout.write("done"), 200)'];
    const unlimited = await runTool(node, waits, { timeoutMs: 0 });
    assert.deepEqual([unlimited.timedOut, unlimited.stdout], [false, 'done']);
    const stopped = await runTool(node, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 100 });
    assert.equal(stopped.timedOut, true);
    assert.match(runFailure(stopped) ?? '', /did not finish in time and was stopped$/);
  });

  it('stops on cancellation and on too much output, and says why', async () => {
    const abort = new AbortController();
    const pending = runTool(node, ['-e', 'setTimeout(() => {}, 60000)'], { signal: abort.signal });
    abort.abort();
    assert.match(runFailure(await pending) ?? '', /was cancelled$/);
    const big = await runTool(node, ['-e', 'process.stdout.write("x".repeat(100000))'], { maxOutput: 1000 });
    assert.match(big.stderr, /output larger than 1000 characters: stopped/);
    const missing = await runTool(join(tmpdir(), 'istio-sec-no-such-program'), []);
    assert.match(runFailure(missing) ?? '', /could not be started \(ENOENT\)$/);
  });
});
