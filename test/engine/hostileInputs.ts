/**
 * Worst inputs of each hostile class of issue 17, shared by the regression tests, the fuzz campaign
 * (scripts/fuzz.ts) and the measurements of docs/reliability.md (`npm run fuzz -- --hostile-check`
 * and `--hostile-lsp`). Generators are deterministic: the same call gives the same text.
 */
import { generateKeyPairSync } from 'node:crypto';

export const RA_HEAD = 'apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\n  namespace: default\nspec:\n  jwtRules:\n  - issuer: https://idp.example.com\n';

/** A public EC P-256 key as a JWK (generated once per process). */
let ecKey: { kty: string; crv: string; x: string; y: string } | undefined;
export function publicEcJwk(): { kty: string; crv: string; x: string; y: string } {
  if (!ecKey) {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; y: string };
    ecKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  }
  return ecKey;
}

/** A JWK Set of `n` usable keys that all share one kid (the quadratic duplicate-kid report). */
export function duplicateKidJwks(n: number): string {
  const key = JSON.stringify({ ...publicEcJwk(), kid: 'same', use: 'sig' });
  return `{"keys": [${Array(n).fill(key).join(',\n')}]}`;
}

/** A JWK Set of `n` keys Node cannot load (EC points off the curve), each with its own kid and coordinates. */
export function badKeysJwks(n: number): string {
  const coord = (i: number): string => Buffer.from(`bad-point-${i}`.padEnd(32, '.')).toString('base64url');
  return `{"keys": [${Array.from({ length: n }, (_, i) => JSON.stringify({ kty: 'EC', crv: 'P-256', kid: `k${i}`, x: coord(i), y: coord(i + n) })).join(',\n')}]}`;
}

/** A RequestAuthentication whose jwtRule carries `jwks` inline, as a block scalar. */
export function inlineJwksManifest(jwks: string): string {
  return `${RA_HEAD}    jwks: |\n${jwks.split('\n').map((l) => `      ${l}`).join('\n')}\n`;
}

/** Typed fields written with YAML 1.1 scalars Kubernetes reads differently from YAML 1.2 tools. */
export function yaml11Manifest(rules: number): string {
  const values = ['yes', 'on', 'Y', 'off', 'no', 'N', 'True'];
  const jwt = Array.from({ length: rules }, (_, i) => `  - issuer: https://idp${i}.example.com\n    forwardOriginalToken: ${values[i % values.length]}\n`).join('');
  const ports = Array.from({ length: rules }, (_, i) => `  - number: ${i % 2 ? '0443' : `8_0${String(i % 100).padStart(2, '0')}`}\n    name: p${i}\n    protocol: TCP\n`).join('');
  return (
    `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: ra\nspec:\n  jwtRules:\n${jwt}---\n` +
    `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: se\n  labels: &l\n    app: a\nspec:\n  workloadSelector:\n    labels:\n      <<: *l\n  hosts: [a.example.com]\n  resolution: DNS\n  ports:\n${ports}`
  );
}

/** Values carrying newlines, terminal escapes and a GitHub Actions workflow command. */
export const INJECTION_NAME = 'x\n::error file=pwned.yaml::injected\u001b[31mred\u001b[0m\r\u0007\u009b2J\u202etxt';

export function injectionManifest(): string {
  return `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${JSON.stringify(INJECTION_NAME)}\nspec:\n  action: ${JSON.stringify(`DENY${INJECTION_NAME}`)}\n`;
}

/** A file of Latin-1 (not UTF-8) text that is not an Istio manifest. */
export function latin1NonIstio(): Buffer {
  return Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\u00e9\ndata:\n  greeting: "ol\u00e9 \u00e0 tous"\n', 'latin1');
}
