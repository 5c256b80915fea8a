/** Test tokens: signed with jose from keys generated in the test (see makeKey in ./jwks). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { realworldPath } from './realworld';
import type { IstioResource } from '../../engine/src/model/resource';
import { resourcesOfText } from '../../engine/src/simulate/index';

/** Istio's sample tokens and key set (issuer testing@secure.istio.io), vendored in test/fixtures/realworld. */
export const ISTIO_JWT_SAMPLES = realworldPath('istio-istio/security/tools/jwt/samples');
export const SAMPLE_ISSUER = 'testing@secure.istio.io';

export function sample(name: 'demo.jwt' | 'groups-scope.jwt' | 'jwks.json'): string {
  return readFileSync(join(ISTIO_JWT_SAMPLES, name), 'utf8').trim();
}

/** Signs `payload` with a private JWK (alg and kid from the key unless overridden). */
export async function signToken(privateJwk: JWK, payload: JWTPayload, header: { alg?: string; kid?: string | null } = {}): Promise<string> {
  const alg = header.alg ?? privateJwk.alg ?? 'RS256';
  const key = await importJWK(privateJwk, alg);
  const kid = header.kid === null ? undefined : (header.kid ?? privateJwk.kid);
  return new SignJWT(payload).setProtectedHeader({ alg, ...(kid !== undefined ? { kid } : {}) }).sign(key);
}

/** The Istio resources of YAML texts, as the engine's FileModel identifies them. */
export function resourcesOf(...texts: string[]): IstioResource[] {
  return texts.flatMap(resourcesOfText);
}

/** The JWT tutorial's RequestAuthentication (httpbin in foo) with Istio's sample JWKS inline. */
export function sampleRequestAuthentication(): string {
  return `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt-example
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  jwtRules:
  - issuer: "${SAMPLE_ISSUER}"
    jwks: '${sample('jwks.json').replace(/\s+/g, ' ')}'
`;
}

/** The tutorial's ALLOW policy on httpbin requiring a request principal (one rule, one `from`). */
export function sampleRequireJwt(principal: string): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: require-jwt
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals: ["${principal}"]
`;
}
