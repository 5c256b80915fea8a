import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { makeKey } from '../helpers/jwks';
import { sample, sampleRequestAuthentication, signToken } from '../helpers/jwtSign';
import { runCli } from '../helpers/cli';

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
}

describe('istio-sec check: JWTs in the files, against the RequestAuthentications given', () => {
  let dir: string;
  let expired: string;
  const demo = sample('demo.jwt');

  before(async () => {
    const key = await makeKey('RS256', 'cli-key');
    const now = Math.floor(Date.now() / 1000);
    expired = await signToken(key.privateJwk, { iss: 'https://other.example.com', sub: 'bob', exp: now - 7200 });
    dir = tempDir('istio-sec-check-jwt-');
    writeFileSync(join(dir, 'auth.yaml'), sampleRequestAuthentication());
    writeFileSync(
      join(dir, 'tokens.yaml'),
      `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: t\n  namespace: foo\n  annotations:\n    a: "${demo}"\n    b: ${expired}\nspec:\n  action: DENY\n  rules:\n  - to: [{operation: {paths: ["/x"]}}]\n`,
    );
    writeFileSync(join(dir, 'configmap.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  t: ${expired}\n`);
  });
  after(() => removeTempDir(dir));

  it('reports the expired token of an unknown issuer, not the demo token the other file accepts, nothing in non-Istio YAML', () => {
    const r = runCli(['check', '--offline', '--format', 'json', '.'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const jwt = (JSON.parse(r.stdout) as JsonFinding[]).filter((f) => f.code.startsWith('jwt-'));
    const range = { start: { line: 7, character: 7 }, end: { line: 7, character: 7 + expired.length } };
    assert.deepEqual(
      jwt.map((f) => [f.file, f.code, f.severity, f.range]),
      [
        ['tokens.yaml', 'jwt-expired', 'information', range],
        ['tokens.yaml', 'jwt-issuer-not-accepted', 'information', range],
      ],
    );
    assert.ok(!r.stdout.includes(expired) && !r.stdout.includes(demo), 'the output never holds a whole token');
  });

  it('without the RequestAuthentication file, the demo token\'s issuer is unknown too', () => {
    const r = runCli(['check', '--offline', '--format', 'json', join(dir, 'tokens.yaml')]);
    const codes = (JSON.parse(r.stdout) as JsonFinding[]).filter((f) => f.code === 'jwt-issuer-not-accepted').map((f) => f.range.start.line);
    assert.deepEqual(codes, [6, 7]);
  });
});
