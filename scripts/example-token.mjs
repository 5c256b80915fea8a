#!/usr/bin/env node
// Prints a JWT for the README's `istio-sec simulate` example: signed (ES256) with
// examples/local-jwt/example-private-key.jwk.json, whose public half is the inline `jwks` of
// examples/local-jwt/policies.yaml, for that RequestAuthentication's issuer and audience.
// The key is an example published in this repository: never trust it anywhere.
// Usage: node scripts/example-token.mjs [--permissions p1,p2] [--sub S] [--expires-in SECONDS] > token.jwt
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importJWK, SignJWT } from 'jose';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KEY_FILE = join(root, 'examples', 'local-jwt', 'example-private-key.jwk.json');
const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'https://bookinfo.example.com/api';
const USAGE = 'Usage: node scripts/example-token.mjs [--permissions p1,p2] [--sub S] [--expires-in SECONDS] > token.jwt';

function options() {
  try {
    const { values } = parseArgs({
      options: {
        permissions: { type: 'string', default: 'read:book-details' },
        sub: { type: 'string', default: 'example-user' },
        'expires-in': { type: 'string', default: '3600' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (!/^\d+$/.test(values['expires-in'])) throw new Error(`--expires-in: ${JSON.stringify(values['expires-in'])} is not a number of seconds`);
    return values;
  } catch (err) {
    console.error(`example-token: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n${USAGE}`);
    process.exit(2);
  }
}

const opts = options();
const jwk = JSON.parse(readFileSync(KEY_FILE, 'utf8'));
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ permissions: opts.permissions.split(',').filter(Boolean) })
  .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'JWT' })
  .setIssuer(ISSUER)
  .setAudience(AUDIENCE)
  .setSubject(opts.sub)
  .setIssuedAt(now)
  .setExpirationTime(now + Number(opts['expires-in']))
  .sign(await importJWK(jwk, jwk.alg));
process.stdout.write(`${token}\n`);
