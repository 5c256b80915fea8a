/**
 * The subcommands speak with one voice: one path style in text, JSON and SARIF (relative to the
 * working directory), one wording for a file that cannot be read, argument errors in istio-sec's words.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { argumentProblem } from '../../cli/src/args';
import { runCli } from '../helpers/cli';
import { ensureCliHas } from '../helpers/cliFresh';
import { tempDir } from '../helpers/tmp';

const LEGACY = 'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata:\n  name: viewer\nspec:\n  rules: []\n';

interface Paths {
  text: string;
  json: string;
  sarif: { uri: string; uriBaseId: string; base: string };
}

/** The path each output format gives the one finding of `target`, checked from `cwd`. */
function pathsOf(target: string, cwd: string): Paths {
  const text = runCli(['check', '--offline', target], { cwd }).stdout.split('\n')[0];
  const json = JSON.parse(runCli(['check', '--offline', '--format', 'json', target], { cwd }).stdout) as Array<{ file: string }>;
  const sarif = JSON.parse(runCli(['check', '--offline', '--format', 'sarif', target], { cwd }).stdout);
  const location = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  return {
    text: text.slice(0, text.indexOf(':1:13: ')),
    json: json[0].file,
    sarif: { uri: location.uri, uriBaseId: location.uriBaseId, base: sarif.runs[0].originalUriBaseIds[location.uriBaseId].uri },
  };
}

describe('istio-sec: one path style across text, JSON and SARIF', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    ensureCliHas('cannot read');
    dir = tempDir('istio-sec-paths-');
    mkdirSync(join(dir, 'app', 'sub dir'), { recursive: true });
    writeFileSync(join(dir, 'app', 'sub dir', 'legacy.yaml'), LEGACY);
    mkdirSync(join(dir, 'other'));
  });

  it('relative to the working directory, whether the argument was relative or absolute', () => {
    const base = `${pathToFileURL(dir).href}/`;
    const expected: Paths = { text: 'app/sub dir/legacy.yaml', json: 'app/sub dir/legacy.yaml', sarif: { uri: 'app/sub%20dir/legacy.yaml', uriBaseId: '%SRCROOT%', base } };
    assert.deepEqual(pathsOf('app', dir), expected);
    assert.deepEqual(pathsOf(join(dir, 'app', 'sub dir', 'legacy.yaml'), dir), expected);
  });

  it('from a folder below, above or beside the file', () => {
    assert.equal(pathsOf(join(dir, 'app'), join(dir, 'app', 'sub dir')).text, 'legacy.yaml');
    const above = pathsOf(join(dir, 'app'), dirname(dir));
    const name = `${basename(dir)}/app/sub dir/legacy.yaml`;
    assert.deepEqual([above.text, above.json], [name, name]);
    const beside = pathsOf(join(dir, 'app'), join(dir, 'other'));
    assert.deepEqual([beside.text, beside.json, beside.sarif.uri], ['../app/sub dir/legacy.yaml', '../app/sub dir/legacy.yaml', '../app/sub%20dir/legacy.yaml']);
  });
});

describe('istio-sec: one wording for a file that cannot be read', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    ensureCliHas('cannot read');
    dir = tempDir('istio-sec-missing-');
    writeFileSync(join(dir, 'policy.yaml'), LEGACY);
  });

  const cases: Array<[string, string[]]> = [
    ['check', ['check', 'missing.yaml']],
    ['check', ['check', '--format', 'json', 'policy.yaml', 'missing.yaml']],
    ['check', ['check', '--helm', 'missing.yaml']],
    ['check', ['check', '--kustomize', 'missing.yaml']],
    ['simulate', ['simulate', 'missing.yaml']],
    ['simulate', ['simulate', '--token-file', 'missing.yaml', 'policy.yaml']],
    ['migrate', ['migrate', 'policy.yaml', 'missing.yaml']],
    ['decode', ['decode', '--token-file', 'missing.yaml']],
  ];
  for (const [command, args] of cases) {
    it(`${args.join(' ')}: "cannot read missing.yaml: no such file or directory", exit 2, nothing on stdout`, () => {
      const r = runCli(args, { cwd: dir });
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `istio-sec ${command}: cannot read missing.yaml: no such file or directory\n`);
    });
  }

  it('a directory where a file is expected is said so in the same words', () => {
    const r = runCli(['decode', '--token-file', '.'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'istio-sec decode: cannot read .: is a directory\n');
  });
});

describe("istio-sec: argument errors in the tool's own words", { timeout: 120_000 }, () => {
  before(() => ensureCliHas('needs a value'));

  const cases: Array<[string[], string]> = [
    [['check', '--bogus', 'x.yaml'], "unknown option '--bogus'"],
    [['check', '-z', 'x.yaml'], "unknown option '-z'"],
    [['check', 'x.yaml', '--format'], "option '--format' needs a value"],
    [['check', '--offline=yes', 'x.yaml'], "option '--offline' takes no value"],
    [['check', '--format', '--offline', 'x.yaml'], "option '--format' needs a value, not the option '--offline' (write --format=--offline if that is the value)"],
    [['simulate', '--bogus', 'x.yaml'], "unknown option '--bogus'"],
    [['simulate', '--token'], "option '--token' needs a value"],
    [['migrate', '--bogus', 'x.yaml'], "unknown option '--bogus'"],
    [['migrate', 'x.yaml', '--root-namespace'], "option '--root-namespace' needs a value"],
    [['decode', '--bogus', 'x'], "unknown option '--bogus'"],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}: ${message}, then the usage`, () => {
      const r = runCli(args);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith(`istio-sec ${args[0]}: ${message}\n\nUsage: istio-sec ${args[0]}`), r.stderr);
      assert.doesNotMatch(r.stderr, /ERR_PARSE_ARGS|To specify a positional argument|argument missing|internal error/);
    });
  }

  it('argumentProblem: positionals where none are taken, and what parses', () => {
    const options = { format: { type: 'string' as const, short: 'f' }, offline: { type: 'boolean' as const } };
    assert.equal(argumentProblem(['x'], options, false), "unexpected argument 'x'");
    assert.equal(argumentProblem(['-f', 'json', '--offline', '--', '--not-an-option'], options, true), undefined);
    assert.equal(argumentProblem(['--format=-', 'a'], options, true), undefined);
    assert.equal(argumentProblem(['--format', '-', 'a'], options, true), undefined);
  });
});
