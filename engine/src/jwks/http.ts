/**
 * A minimal, hardened HTTP(S) GET on Node's http/https modules: timeout, size cap, bounded
 * redirects, gzip/deflate/br, proxies (absolute-form for http, CONNECT for https), extra CAs.
 * Sends no cookies and no credentials. Never returns more of a body than the cap.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import zlib from 'node:zlib';
import type { JwksCode } from './codes';
import { proxyAuthorization, proxyFor, type ProxySettings } from './proxy';

export interface FetchOptions extends ProxySettings {
  /** Whole-fetch deadline, redirects included (default 5000 ms). */
  timeoutMs?: number;
  /** Largest decoded body accepted (default 1 MiB); the transfer is aborted beyond. */
  maxBytes?: number;
  /** Redirects followed before giving up (default 3). */
  maxRedirects?: number;
  /** Verify server certificates (default true). Maps VS Code's http.proxyStrictSSL. */
  rejectUnauthorized?: boolean;
  /** Extra trusted CA certificates (PEM), added to Node's roots and NODE_EXTRA_CA_CERTS. */
  caCertificates?: readonly string[];
}

export const FETCH_DEFAULTS = { timeoutMs: 5000, maxBytes: 1024 * 1024, maxRedirects: 3 } as const;

export interface FetchSuccess {
  ok: true;
  /** The URL asked for (credentials stripped). */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  status: number;
  body: Buffer;
  contentType?: string;
  latencyMs: number;
  redirects: number;
  /** Proxy used (origin only, no credentials), if any. */
  proxy?: string;
}

export interface FetchFailure {
  ok: false;
  code: JwksCode;
  message: string;
  url: string;
  latencyMs: number;
  status?: number;
  /** The failure concerns where the URL redirected to, not the URL itself. */
  redirected?: boolean;
}

export type FetchOutcome = FetchSuccess | FetchFailure;

const REQUEST_HEADERS = {
  'User-Agent': 'istio-sec-jwks-check',
  Accept: 'application/json, application/jwk-set+json;q=0.9, */*;q=0.1',
  'Accept-Encoding': 'gzip, deflate, br',
  Connection: 'close',
} as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Removes user:password@ from a URL. Returns the clean URL and whether anything was removed. */
export function stripCredentials(url: URL): { url: URL; hadCredentials: boolean } {
  if (!url.username && !url.password) return { url, hadCredentials: false };
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  return { url: clean, hadCredentials: true };
}

class Failure extends Error {
  constructor(
    readonly code: JwksCode,
    message: string,
    readonly status?: number,
    readonly redirected?: boolean,
  ) {
    super(message);
  }
}

/** Maps a Node socket/TLS/zlib error code to a finding code and a precise sentence. */
export function classifyNetworkError(err: NodeJS.ErrnoException, target: URL, viaProxy: boolean): { code: JwksCode; message: string } {
  const host = target.host;
  const code = err.code ?? '';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return { code: 'jwks-dns-failure', message: `the host name ${target.hostname} does not resolve (${code})` };
    case 'ECONNREFUSED':
      return { code: 'jwks-connection-refused', message: `connection to ${host} was refused (nothing listens on that port)` };
    case 'ETIMEDOUT':
      return { code: 'jwks-timeout', message: `connecting to ${host} timed out (ETIMEDOUT)` };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return { code: 'jwks-tls-untrusted', message: `the certificate of ${host} is issued by an untrusted CA (${code}); add the CA to the trusted certificates` };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return { code: 'jwks-tls-self-signed', message: `the certificate of ${host} is self-signed (${code}); istiod will not trust it unless its CA is added (/cacerts/extra.pem)` };
    case 'CERT_HAS_EXPIRED':
      return { code: 'jwks-tls-expired', message: `the certificate of ${host} has expired (${code})` };
    case 'CERT_NOT_YET_VALID':
      return { code: 'jwks-tls-expired', message: `the certificate of ${host} is not yet valid (${code}); check its notBefore date and the clock` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: 'jwks-tls-hostname-mismatch', message: `the certificate of ${host} does not cover the host name ${target.hostname} (${(err as { reason?: string }).reason ?? code})` };
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BROTLI_DECOMPRESSION_FAILED':
      return { code: 'jwks-decode-error', message: `the compressed body from ${host} could not be decoded (${code})` };
    default:
      if (/^(ERR_SSL|ERR_TLS|EPROTO|CERT_|ERR_OSSL)/.test(code) || /certificate|ssl|tls/i.test(err.message)) {
        return { code: 'jwks-tls-error', message: `the TLS handshake with ${host} failed (${code || err.message})` };
      }
      return {
        code: 'jwks-network-error',
        message: `the connection to ${host}${viaProxy ? ' (through the proxy)' : ''} failed (${code || err.message})`,
      };
  }
}

function trustedCas(extra: readonly string[] | undefined): string[] | undefined {
  if (!extra || extra.length === 0) return undefined;
  const cas = [...tls.rootCertificates, ...extra];
  const envFile = process.env.NODE_EXTRA_CA_CERTS;
  if (envFile) {
    try {
      cas.push(readFileSync(envFile, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS.
    }
  }
  return cas;
}

function decoderFor(encoding: string | undefined): NodeJS.ReadWriteStream | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

interface Hop {
  status: number;
  location?: string;
  body?: Buffer;
  contentType?: string;
}

interface HopContext {
  target: URL;
  opts: FetchOptions;
  maxBytes: number;
  /** Called with the request so the deadline can destroy it. */
  track(req: http.ClientRequest | Duplex): void;
}

function readBody(res: IncomingMessage, ctx: HopContext): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > ctx.maxBytes) {
      res.destroy();
      reject(new Failure('jwks-too-large', `the response declares ${declared} bytes, more than the ${ctx.maxBytes}-byte cap; it was not read`));
      return;
    }
    const decoder = decoderFor(res.headers['content-encoding']);
    const stream: NodeJS.ReadableStream = decoder ? res.pipe(decoder) : res;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ctx.maxBytes) {
        res.destroy();
        decoder?.removeAllListeners('data');
        reject(new Failure('jwks-too-large', `the response body exceeds the ${ctx.maxBytes}-byte cap; the transfer was aborted`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', reject);
    res.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function onResponse(res: IncomingMessage, ctx: HopContext): Promise<Hop> {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (REDIRECT_STATUSES.has(status) && location) {
    res.resume();
    return Promise.resolve({ status, location });
  }
  if (status < 200 || status >= 300) {
    res.resume();
    return Promise.resolve({ status });
  }
  return readBody(res, ctx).then((body) => ({ status, body, contentType: res.headers['content-type'] }));
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
}

function tlsOptions(target: URL, opts: FetchOptions): tls.ConnectionOptions {
  return {
    servername: isIpLiteral(target.hostname) ? undefined : target.hostname,
    rejectUnauthorized: opts.rejectUnauthorized ?? true,
    ca: trustedCas(opts.caCertificates),
  };
}

function requestPath(target: URL): string {
  return `${target.pathname || '/'}${target.search}`;
}

/** Opens a CONNECT tunnel through an HTTP proxy; resolves with the raw socket. */
function connectTunnel(proxy: URL, target: URL, ctx: HopContext): Promise<Duplex> {
  const authority = `${target.hostname}:${target.port || 443}`;
  const headers: Record<string, string> = { Host: authority };
  const auth = proxyAuthorization(proxy);
  if (auth) headers['Proxy-Authorization'] = auth;
  const mod = proxy.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    ctx.track(req);
    req.on('connect', (res: IncomingMessage, socket: Duplex) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Failure('jwks-proxy-error', `the proxy ${proxy.host} answered CONNECT ${authority} with ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      resolve(socket);
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(proxyFailure(err, proxy)));
    req.end();
  });
}

function proxyFailure(err: NodeJS.ErrnoException, proxy: URL): Failure {
  if (err instanceof Failure) return err;
  return new Failure('jwks-proxy-error', `the proxy ${proxy.host} could not be reached (${err.code ?? err.message})`);
}

async function hop(ctx: HopContext, proxy: URL | undefined): Promise<Hop> {
  const { target, opts } = ctx;
  const isHttps = target.protocol === 'https:';
  const headers: Record<string, string> = { ...REQUEST_HEADERS, Host: target.host };
  let reqOpts: https.RequestOptions;
  let mod: typeof http | typeof https = isHttps ? https : http;
  if (proxy && isHttps) {
    const socket = await connectTunnel(proxy, target, ctx);
    reqOpts = {
      ...tlsOptions(target, opts),
      host: target.hostname,
      port: target.port || 443,
      path: requestPath(target),
      createConnection: () => tls.connect({ ...tlsOptions(target, opts), socket }),
    };
  } else if (proxy) {
    mod = proxy.protocol === 'https:' ? https : http;
    const auth = proxyAuthorization(proxy);
    if (auth) headers['Proxy-Authorization'] = auth;
    reqOpts = { host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), path: target.href, agent: false };
  } else {
    reqOpts = { ...(isHttps ? tlsOptions(target, opts) : {}), host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || (isHttps ? 443 : 80), path: requestPath(target), agent: false };
  }
  return new Promise<Hop>((resolve, reject) => {
    const req = mod.request({ ...reqOpts, method: 'GET', headers }, (res) => onResponse(res, ctx).then(resolve, reject));
    ctx.track(req);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof Failure) return reject(err);
      const viaHttpProxy = proxy !== undefined && !isHttps;
      if (viaHttpProxy && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(err.code ?? '')) return reject(proxyFailure(err, proxy));
      const c = classifyNetworkError(err, target, proxy !== undefined);
      reject(new Failure(c.code, c.message));
    });
    req.end();
  });
}

function proxyLabel(proxy: URL | undefined): string | undefined {
  return proxy ? `${proxy.protocol}//${proxy.host}` : undefined;
}

/** GETs a URL with the limits above; never throws. */
export async function fetchUrl(rawUrl: string, opts: FetchOptions = {}): Promise<FetchOutcome> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = opts.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = opts.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  let current: URL;
  try {
    current = stripCredentials(new URL(rawUrl)).url;
  } catch {
    return { ok: false, code: 'jwks-invalid-url', message: `${JSON.stringify(rawUrl)} is not a valid URL`, url: rawUrl, latencyMs: 0 };
  }
  const url = current.href;
  const fail = (f: Failure): FetchFailure => ({ ok: false, code: f.code, message: f.message, url, latencyMs: Date.now() - started, status: f.status, redirected: f.redirected });
  let live: Array<http.ClientRequest | Duplex> = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const r of live) r.destroy();
      reject(new Failure('jwks-timeout', `no complete answer from ${current.host} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  deadline.catch(() => undefined);
  try {
    for (let redirects = 0; ; redirects++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        const scheme = current.protocol.replace(/:$/, '');
        const message =
          redirects > 0
            ? `the server redirects to ${current.href}, which uses ${scheme}://; istiod follows only http:// and https:// redirects, so it gets no keys`
            : `${current.href} uses ${scheme}://; only http:// and https:// can be fetched`;
        return fail(new Failure('jwks-unsupported-scheme', message, undefined, redirects > 0));
      }
      const proxy = proxyFor(current, opts);
      live = [];
      const ctx: HopContext = { target: current, opts, maxBytes, track: (r) => live.push(r) };
      const h = await Promise.race([hop(ctx, proxy), deadline]);
      if (h.location !== undefined) {
        if (redirects >= maxRedirects) {
          return fail(new Failure('jwks-too-many-redirects', `more than ${maxRedirects} redirects (last: ${h.status} from ${current.href} to ${h.location})`, h.status));
        }
        current = stripCredentials(new URL(h.location, current)).url;
        continue;
      }
      if (!h.body) {
        const where = current.href === url ? 'the server' : `${current.href} (after redirects)`;
        return fail(new Failure('jwks-http-status', `${where} answered HTTP ${h.status}${http.STATUS_CODES[h.status] ? ` ${http.STATUS_CODES[h.status]}` : ''}; istiod accepts only 2xx`, h.status));
      }
      return { ok: true, url, finalUrl: current.href, status: h.status, body: h.body, contentType: h.contentType, latencyMs: Date.now() - started, redirects, proxy: proxyLabel(proxy) };
    }
  } catch (err) {
    if (err instanceof Failure) return fail(err);
    const c = classifyNetworkError(err as NodeJS.ErrnoException, current, false);
    return fail(new Failure(c.code, c.message));
  } finally {
    clearTimeout(timer);
    for (const r of live) r.destroy();
  }
}
