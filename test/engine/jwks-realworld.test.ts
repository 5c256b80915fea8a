import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeJwksText, checkInlineJwks, checkJwksReachability, importKeySet, JwksCache } from '../../engine/src/jwks';
import type { Finding } from '../../engine/src/diagnostics';
import { parseDoc } from '../../engine/src/model/parse';
import { splitDocuments } from '../../engine/src/model/split';
import { HAS_SHARED_REALWORLD, isUnlicensed, needsUnlicensed, readRealworld, realworldFiles } from '../helpers/realworld';

const files = realworldFiles();

/** `file:line:code` (0-based line) of every JWKS finding on the RequestAuthentication files; none may be an error. */
async function jwksFindings(unlicensed: boolean): Promise<string[]> {
  const seen: string[] = [];
  for (const file of files.filter((f) => isUnlicensed(f) === unlicensed && /\.ya?ml$/.test(f) && readRealworld(f).includes('RequestAuthentication'))) {
    for (const seg of splitDocuments(readRealworld(file))) {
      const doc = parseDoc(seg.text);
      const out: Finding[] = [];
      checkInlineJwks(doc, out);
      const rep = await checkJwksReachability(doc, { offline: true, env: {}, cache: new JwksCache() });
      for (const f of [...out, ...rep.findings]) {
        assert.notEqual(f.severity, 'error', `${file}: ${f.code} ${f.message}`);
        seen.push(`${file}:${seg.startLine + f.range.start.line}:${f.code}`);
      }
    }
  }
  return seen;
}

const codesOf = (seen: string[]): string[] => [...new Set(seen.map((s) => s.split(':')[2]))].sort();

describe('JWKS checks on real-world manifests', () => {
  it('never report an error, and only the expected offline findings', async () => {
    const seen = await jwksFindings(false);
    // 0-based lines. Issuers such as `example.com` without jwksUri: istiod's discovery fails at run time.
    assert.ok(seen.includes('istio-istio/pkg/test/datasets/validation/dataset/security-v1-RequestAuthentication.yaml:10:jwks-invalid-url'), seen.join('\n'));
    assert.deepEqual(codesOf(seen), ['jwks-invalid-url']);
  });

  it('on the unlicensed tutorials too: a `{YOUR_DOMAIN}` placeholder host is not fetched', needsUnlicensed('the auth0 tutorials'), async () => {
    const seen = await jwksFindings(true);
    // `https://{YOUR_DOMAIN}/…` is a tutorial placeholder (placeholder-value): it is not fetched, so it has no JWKS finding.
    assert.ok(!seen.some((s) => s.startsWith('auth0-blog-istio-auth0-integration/security/auth0-authn.yaml:')), seen.join('\n'));
    assert.ok(codesOf(seen).every((c) => c === 'jwks-invalid-url'), seen.join('\n'));
  });

  it('imports the published sample key sets without problems', async () => {
    const samples = files.filter((f) => f.endsWith('/jwks.json'));
    assert.ok(samples.length >= (HAS_SHARED_REALWORLD ? 2 : 1), samples.join());
    for (const f of samples) {
      const a = analyzeJwksText(readRealworld(f));
      assert.deepEqual(a.problems, [], f);
      const imported = await importKeySet(a);
      assert.deepEqual(imported.problems, [], f);
      assert.ok(imported.keys.length > 0, f);
    }
  });
});
