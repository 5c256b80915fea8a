/** Test tokens: signed with jose from keys generated in the test (see makeKey in ./jwks). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { REALWORLD } from './build';
import { FileModel } from '../../engine/src/model/fileModel';
import type { IstioResource } from '../../engine/src/model/resource';

/** Istio's sample tokens and key set (issuer testing@secure.istio.io), read in place. */
export const ISTIO_JWT_SAMPLES = join(REALWORLD, 'istio-istio/security/tools/jwt/samples');
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
  return texts.flatMap((text) => {
    const model = new FileModel();
    model.update(text);
    return model.documents.flatMap((d) => (d.analysis.resource ? [d.analysis.resource] : []));
  });
}
