/**
 * Real servers on 127.0.0.1 for network tests: HTTP, HTTPS, an HTTP proxy (absolute-form and
 * CONNECT), and a port that was opened and closed (connection refused). Every server records
 * the requests it saw; close() ends open connections so tests never hang.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { KeyPair } from './certs';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface LoopbackServer {
  /** Origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface LoopbackProxy extends LoopbackServer {
  /** Authorities asked for with CONNECT (host:port). */
  connects: string[];
}

type AnyServer = http.Server | https.Server;

function listen(server: AnyServer, scheme: 'http' | 'https', requests: RecordedRequest[]): Promise<LoopbackServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        origin: `${scheme}://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function recording(handler: Handler, requests: RecordedRequest[]): Handler {
  return (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  };
}

export function startHttpServer(handler: Handler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  return listen(http.createServer(recording(handler, requests)), 'http', requests);
}

export function startHttpsServer(handler: Handler, pair: KeyPair): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  return listen(https.createServer({ key: pair.key, cert: pair.cert }, recording(handler, requests)), 'https', requests);
}

/** A forwarding proxy: absolute-form GETs for http, CONNECT tunnels for https. */
export async function startProxy(): Promise<LoopbackProxy> {
  const requests: RecordedRequest[] = [];
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer(
    recording((req, res) => {
      const target = new URL(req.url ?? '');
      const upstream = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    }, requests),
  );
  server.on('connect', (req: IncomingMessage, client: net.Socket, head: Buffer) => {
    const authority = req.url ?? '';
    connects.push(authority);
    requests.push({ method: 'CONNECT', url: authority, headers: req.headers });
    const [host, port] = [authority.slice(0, authority.lastIndexOf(':')), Number(authority.slice(authority.lastIndexOf(':') + 1))];
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  const base = await listen(server, 'http', requests);
  return {
    ...base,
    connects,
    close: async () => {
      for (const s of sockets) s.destroy();
      await base.close();
    },
  };
}

/** A loopback port that was just listening and is now closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
