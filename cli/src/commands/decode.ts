import { decodeToken } from '../../../engine/src/host/index';
import { parseCliArgs } from '../args';
import { readInput } from '../files';
import { EXIT, UsageError, type Command } from '../io';

export const DECODE_USAGE = `Usage: istio-sec decode <token | -> | --token-file <path>
Decodes a JWT without verifying it ('-' reads it from stdin, up to 1 MiB; a "Bearer " prefix is
ignored) and prints JSON: header, payload, iat/nbf/exp in ISO UTC and relative form, status
(expired or not-yet-valid with Envoy's 60 s clock skew, else unverified: the signature is never
checked here, so "signatureChecked": false), the request principal Istio derives (<iss>/<sub>)
and the problems Envoy rejects the token for (alg none, malformed times...).
Exit status: 0 decoded, 2 malformed token or usage.`;

/** Standard input read for '-': far above the longest token decoded (JWT_LIMITS.maxTokenLength). */
export const DECODE_STDIN_MAX_BYTES = 1024 * 1024;

export const decode: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs({ args, allowPositionals: true, options: { 'token-file': { type: 'string' } } });
  const file = values['token-file'];
  if (positionals.length + (file === undefined ? 0 : 1) !== 1) throw new UsageError('decode needs exactly one token: the token, - for stdin, or --token-file <path>');
  const input = file !== undefined ? readInput(file, io.cwd) : positionals[0] === '-' ? await io.readStdin(DECODE_STDIN_MAX_BYTES) : positionals[0];
  const r = decodeToken(input);
  if (!r.ok) {
    io.stderr(`istio-sec decode: not a JWT: ${r.error}\n`);
    return EXIT.usage;
  }
  const { header, payload, times, statusDetail, issuer, subject, audiences, principal, problems } = r.jwt;
  // Times say whether Envoy would reject the token outright; a token within them is still unverified.
  const status = r.jwt.status === 'valid' ? 'unverified' : r.jwt.status;
  const signatureChecked = false;
  io.stdout(`${JSON.stringify({ header, payload, times, status, statusDetail, signatureChecked, issuer, subject, audiences, principal, problems }, null, 2)}\n`);
  return EXIT.ok;
};
