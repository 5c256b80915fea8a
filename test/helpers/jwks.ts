/** JWKS test fixtures: real keys from jose, RequestAuthentication documents, JSON handlers. */
import type { ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { parseDoc, type ParsedDoc } from '../../engine/src/model/parse';
import type { Range } from '../../engine/src/diagnostics';

export interface TestKey {
  publicJwk: JWK;
  privateJwk: JWK;
}

/** A fresh key pair exported as JWKs with kid and alg set. */
export async function makeKey(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const meta = { kid, alg, use: 'sig' };
  return { publicJwk: { ...(await exportJWK(publicKey)), ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta } };
}

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export interface JwtRuleFields {
  issuer?: string;
  jwksUri?: string;
  /** Written as a block literal (`jwks: |`) with the JSON indented under it. */
  jwks?: string;
}

/** A RequestAuthentication document with the given jwtRules. */
export function requestAuthentication(rules: JwtRuleFields[], namespace = 'foo'): string {
  const lines = ['apiVersion: security.istio.io/v1', 'kind: RequestAuthentication', 'metadata:', '  name: jwt', `  namespace: ${namespace}`, 'spec:', '  jwtRules:'];
  for (const r of rules) {
    const fields: string[] = [];
    if (r.issuer !== undefined) fields.push(`issuer: ${JSON.stringify(r.issuer)}`);
    if (r.jwksUri !== undefined) fields.push(`jwksUri: ${JSON.stringify(r.jwksUri)}`);
    if (r.jwks !== undefined) fields.push(['jwks: |', ...r.jwks.split('\n').map((l) => `      ${l}`)].join('\n'));
    lines.push(...fields.map((f, i) => `${i === 0 ? '  - ' : '    '}${f}`));
  }
  return `${lines.join('\n')}\n`;
}

export function parsed(rules: JwtRuleFields[], namespace?: string): ParsedDoc {
  return parseDoc(requestAuthentication(rules, namespace));
}

/** The text a range covers. */
export function textAt(doc: ParsedDoc, r: Range): string {
  return doc.text.slice(doc.lines.offsetAt(r.start), doc.lines.offsetAt(r.end));
}
