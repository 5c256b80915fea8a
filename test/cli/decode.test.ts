import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli';
import { ensureCliHas } from '../helpers/cliFresh';
import { sample, SAMPLE_ISSUER } from '../helpers/jwtSign';

describe('istio-sec decode', { timeout: 120_000 }, () => {
  before(() => ensureCliHas('decode needs exactly one token'));

  it('prints header, payload, ISO times, status and principal as JSON', () => {
    const r = runCli(['decode', sample('demo.jwt')], { timeoutMs: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.header, { alg: 'RS256', kid: 'DHFbpoIUqrY8t2zpA2qXfCmr5VO5ZEr4RzHU_-envvQ', typ: 'JWT' });
    assert.equal(out.payload.iss, SAMPLE_ISSUER);
    assert.equal(out.times.iat.iso, '2018-07-23T23:48:20.000Z');
    assert.equal(out.times.exp.iso, '2118-06-29T23:48:20.000Z');
    assert.equal(out.times.exp.epoch, 4685989700);
    assert.equal(out.status, 'unverified', 'decode never checks the signature');
    assert.equal(out.signatureChecked, false);
    assert.equal(out.principal, `${SAMPLE_ISSUER}/${SAMPLE_ISSUER}`);
  });

  it('reads the token from stdin with -, ignoring a Bearer prefix', () => {
    const r = runCli(['decode', '-'], { input: `Bearer ${sample('groups-scope.jwt')}\n`, timeoutMs: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).payload.groups, ['group1', 'group2']);
  });

  it('exits 2 with a message on stderr for malformed tokens, without echoing them', () => {
    const bad = 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln';
    const r = runCli(['decode', bad], { timeoutMs: 30_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /not a JWT: the payload is not JSON/);
    assert.ok(!r.stderr.includes(bad));
    assert.equal(runCli(['decode'], { timeoutMs: 30_000 }).status, 2);
    assert.equal(runCli(['decode', 'a.b'], { timeoutMs: 30_000 }).status, 2);
  });
});
