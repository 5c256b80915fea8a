import type { CrossRule } from '../crossCheck';
import type { IndexedResource } from '../index';
import { labelList, objectsAt, stringsAt, stringValues, type Obj } from '../refs';


/** The selector as a canonical string (`k=v,...` sorted), as Istio's analyzer compares them. */
export function selectorKey(labels: unknown): string {
  return labelList(stringValues(labels)).sort().join(',');
}

interface ServerRef {
  gw: IndexedResource;
  s: number;
  server: Obj;
}

function serversBySelector(gws: readonly IndexedResource[]): Map<string, ServerRef[]> {
  const out = new Map<string, ServerRef[]>();
  for (const gw of gws) {
    const key = selectorKey(gw.resource.spec.selector);
    objectsAt(gw.resource.spec.servers).forEach((server, s) => {
      const list = out.get(key) ?? [];
      list.push({ gw, s, server });
      out.set(key, list);
    });
  }
  return out;
}

const portOf = (server: Obj) => String(((server.port ?? {}) as Obj).number ?? '');

export const conflictingGateways: CrossRule = {
  code: 'xref-gateway-conflict',
  severity: 'warning',
  summary: 'Two Gateways with the same selector claim the same port and host: one of them loses.',
  source: 'istioctl analyze: gateway/conflictinggateway.go (IST0145 ConflictingGateways)',
  check({ index, report }) {
    for (const [selector, servers] of serversBySelector(index.ofKind('Gateway'))) {
      // Servers by (port, bind, host): a conflict is two Gateways under one key.
      const byKey = new Map<string, ServerRef[]>();
      for (const ref of servers) {
        for (const h of new Set(stringsAt(ref.server.hosts))) {
          const key = `${portOf(ref.server)}|${String(ref.server.bind ?? '')}|${h}`;
          byKey.set(key, [...(byKey.get(key) ?? []), ref]);
        }
      }
      for (const a of servers) {
        const clashes = [
          ...new Set(
            stringsAt(a.server.hosts).flatMap((h) => (byKey.get(`${portOf(a.server)}|${String(a.server.bind ?? '')}|${h}`) ?? []).filter((b) => b.gw !== a.gw)),
          ),
        ];
        if (clashes.length === 0) continue;
        const hosts = stringsAt(a.server.hosts).filter((h) => clashes.some((c) => stringsAt(c.server.hosts).includes(h)));
        report({
          at: a.gw,
          path: ['spec', 'servers', a.s, 'hosts'],
          target: 'key',
          message: `Conflict with Gateway ${clashes.map((c) => `${c.gw.namespace}/${c.gw.resource.name}`).join(', ')} (selector ${selector || '(none)'}, port ${portOf(a.server)}, hosts ${hosts.join(', ')}): only one server can own a host on a port of the same gateway pods.`,
          istioCode: 'IST0145',
          related: clashes.map((c) => ({ at: c.gw, path: ['spec', 'servers', c.s, 'hosts'], target: 'key' as const, message: `Gateway ${c.gw.namespace}/${c.gw.resource.name}` })),
        });
      }
    }
  },
};

export const duplicateCertificate: CrossRule = {
  code: 'xref-gateway-duplicate-certificate',
  severity: 'warning',
  summary: 'The same certificate is used by servers of several Gateways: HTTP/2 connection reuse can then route requests to the wrong server (404).',
  source: 'istioctl analyze: gateway/certificate.go (IST0138 GatewayDuplicateCertificate)',
  check({ index, report }) {
    const byCert = new Map<string, ServerRef[]>();
    for (const gw of index.ofKind('Gateway')) {
      objectsAt(gw.resource.spec.servers).forEach((server, s) => {
        const tls = (server.tls ?? {}) as Obj;
        const cert = typeof tls.credentialName === 'string' ? `secret:${gw.namespace}/${tls.credentialName}` : typeof tls.serverCertificate === 'string' ? `file:${tls.serverCertificate}` : undefined;
        if (!cert) return;
        const key = `${selectorKey(gw.resource.spec.selector)}|${cert}`;
        const list = byCert.get(key) ?? [];
        list.push({ gw, s, server });
        byCert.set(key, list);
      });
    }
    for (const list of byCert.values()) {
      const gateways = new Set(list.map((x) => x.gw));
      if (gateways.size < 2) continue;
      for (const a of list) {
        const tls = (a.server.tls ?? {}) as Obj;
        const field = typeof tls.credentialName === 'string' ? 'credentialName' : 'serverCertificate';
        report({
          at: a.gw,
          path: ['spec', 'servers', a.s, 'tls', field],
          message: `The same certificate is used by Gateways ${[...gateways].map((g) => `${g.namespace}/${g.resource.name}`).join(', ')}: clients that reuse an HTTP/2 connection across their hosts may get 404s. Use one certificate per Gateway, or merge the servers.`,
          istioCode: 'IST0138',
          related: list.filter((b) => b.gw !== a.gw).map((b) => ({ at: b.gw, path: ['spec', 'servers', b.s, 'tls', field], message: `Gateway ${b.gw.namespace}/${b.gw.resource.name}` })),
        });
      }
    }
  },
};
