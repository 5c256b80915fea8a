import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeJwksText, checkInlineJwks, checkJwksReachability, importKeySet, JwksCache } from '../../engine/src/jwks';
import type { Finding } from '../../engine/src/diagnostics';
import { parseDoc } from '../../engine/src/model/parse';
import { splitDocuments } from '../../engine/src/model/split';

const REALWORLD = path.resolve(__dirname, '../../../shared/realworld');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(REALWORLD);

describe('JWKS checks on real-world manifests', () => {
  it('never report an error, and only the expected offline findings', async () => {
    const seen: string[] = [];
    for (const file of files.filter((f) => /\.ya?ml$/.test(f) && readFileSync(f, 'utf8').includes('RequestAuthentication'))) {
      for (const seg of splitDocuments(readFileSync(file, 'utf8'))) {
        const doc = parseDoc(seg.text);
        const out: Finding[] = [];
        checkInlineJwks(doc, out);
        const rep = await checkJwksReachability(doc, { offline: true, env: {}, cache: new JwksCache() });
        for (const f of [...out, ...rep.findings]) {
          assert.notEqual(f.severity, 'error', `${file}: ${f.code} ${f.message}`);
          seen.push(`${path.relative(REALWORLD, file)}:${seg.startLine + f.range.start.line}:${f.code}`);
        }
      }
    }
    // `https://{YOUR_DOMAIN}/…` is a tutorial placeholder (placeholder-value): it is not fetched, so it has no JWKS finding.
    assert.ok(!seen.some((s) => s.startsWith('auth0-blog-istio-auth0-integration/security/auth0-authn.yaml:')), seen.join('\n'));
    // 0-based lines. Issuers such as `example.com` without jwksUri: istiod's discovery fails at run time.
    assert.ok(seen.includes('istio-istio/pkg/test/datasets/validation/dataset/security-v1-RequestAuthentication.yaml:10:jwks-invalid-url'), seen.join('\n'));
    assert.deepEqual([...new Set(seen.map((s) => s.split(':')[2]))].sort(), ['jwks-invalid-url']);
  });

  it('imports the published sample key sets without problems', async () => {
    const samples = files.filter((f) => path.basename(f) === 'jwks.json');
    assert.ok(samples.length >= 2);
    for (const f of samples) {
      const a = analyzeJwksText(readFileSync(f, 'utf8'));
      assert.deepEqual(a.problems, [], f);
      const imported = await importKeySet(a);
      assert.deepEqual(imported.problems, [], f);
      assert.ok(imported.keys.length > 0, f);
    }
  });
});
