import type { CrossRule } from '../crossCheck';
import type { Facet, IndexedResource } from '../index';
import { labelList, objectsAt, stringsAt, stringValues, type Obj } from '../refs';

/** The selector as a canonical string (`k=v,...` sorted), as Istio's analyzer compares them. */
export function selectorKey(labels: unknown): string {
  return labelList(stringValues(labels)).sort().join(',');
}

const portOf = (server: Obj) => String(((server.port ?? {}) as Obj).number ?? '');

/** The (selector, port, bind, host) keys of one server: two Gateways sharing one conflict. */
function serverKeys(gw: IndexedResource, server: Obj): string[] {
  const prefix = `${selectorKey(gw.resource.spec.selector)}|${portOf(server)}|${String(server.bind ?? '')}|`;
  return [...new Set(stringsAt(server.hosts))].map((h) => prefix + h);
}

/** Gateways by the (selector, port, bind, host) of each of their servers. */
const serverHostFacet: Facet = {
  id: 'gateway-server-host',
  kinds: ['Gateway'],
  keys: (gw) => objectsAt(gw.resource.spec.servers).flatMap((server) => serverKeys(gw, server)),
};

export const conflictingGateways: CrossRule = {
  code: 'xref-gateway-conflict',
  severity: 'warning',
  summary: 'Two Gateways with the same selector claim the same port and host: one of them loses.',
  source: 'istioctl analyze: gateway/conflictinggateway.go (IST0145 ConflictingGateways)',
  subjects: ['Gateway'],
  facets: [serverHostFacet],
  check(gw, { index, report }) {
    const selector = selectorKey(gw.resource.spec.selector);
    objectsAt(gw.resource.spec.servers).forEach((server, s) => {
      const clashes: IndexedResource[] = [];
      const hosts: string[] = [];
      const own = serverKeys(gw, server);
      for (const key of own) {
        const others = index.withFacet(serverHostFacet, key).filter((o) => o !== gw);
        if (others.length === 0) continue;
        hosts.push(key.slice(key.lastIndexOf('|') + 1));
        for (const o of others) if (!clashes.includes(o)) clashes.push(o);
      }
      if (clashes.length === 0) return;
      report({
        path: ['spec', 'servers', s, 'hosts'],
        target: 'key',
        message: `Conflict with Gateway ${clashes.map((c) => `${c.namespace}/${c.resource.name}`).join(', ')} (selector ${selector || '(none)'}, port ${portOf(server)}, hosts ${hosts.join(', ')}): only one server can own a host on a port of the same gateway pods.`,
        istioCode: 'IST0145',
        related: clashes.flatMap((c) =>
          objectsAt(c.resource.spec.servers).flatMap((other, j) =>
            serverKeys(c, other).some((k) => own.includes(k))
              ? [{ at: c, path: ['spec', 'servers', j, 'hosts'], target: 'key' as const, message: `Gateway ${c.namespace}/${c.resource.name}` }]
              : [],
          ),
        ),
      });
    });
  },
};

/** The certificate a server uses, by the key Istio's analyzer compares (selector + secret or file). */
function certificateKey(gw: IndexedResource, server: Obj): { key: string; field: string } | undefined {
  const tls = (server.tls ?? {}) as Obj;
  const cert = typeof tls.credentialName === 'string' ? `secret:${gw.namespace}/${tls.credentialName}` : typeof tls.serverCertificate === 'string' ? `file:${tls.serverCertificate}` : undefined;
  if (!cert) return undefined;
  return { key: `${selectorKey(gw.resource.spec.selector)}|${cert}`, field: typeof tls.credentialName === 'string' ? 'credentialName' : 'serverCertificate' };
}

const certificateFacet: Facet = {
  id: 'gateway-certificate',
  kinds: ['Gateway'],
  keys: (gw) => objectsAt(gw.resource.spec.servers).flatMap((server) => certificateKey(gw, server)?.key ?? []),
};

export const duplicateCertificate: CrossRule = {
  code: 'xref-gateway-duplicate-certificate',
  severity: 'warning',
  summary: 'The same certificate is used by servers of several Gateways: HTTP/2 connection reuse can then route requests to the wrong server (404).',
  source: 'istioctl analyze: gateway/certificate.go (IST0138 GatewayDuplicateCertificate)',
  subjects: ['Gateway'],
  facets: [certificateFacet],
  check(gw, { index, report }) {
    objectsAt(gw.resource.spec.servers).forEach((server, s) => {
      const cert = certificateKey(gw, server);
      if (!cert) return;
      const sharing = index.withFacet(certificateFacet, cert.key);
      if (sharing.length < 2) return;
      const others = sharing.filter((o) => o !== gw).flatMap((o) =>
        objectsAt(o.resource.spec.servers).flatMap((other, j) => {
          const c = certificateKey(o, other);
          return c?.key === cert.key ? [{ at: o, path: ['spec', 'servers', j, 'tls', c.field], message: `Gateway ${o.namespace}/${o.resource.name}` }] : [];
        }),
      );
      report({
        path: ['spec', 'servers', s, 'tls', cert.field],
        message: `The same certificate is used by Gateways ${sharing.map((g) => `${g.namespace}/${g.resource.name}`).join(', ')}: clients that reuse an HTTP/2 connection across their hosts may get 404s. Use one certificate per Gateway, or merge the servers.`,
        istioCode: 'IST0138',
        related: others,
      });
    });
  },
};
