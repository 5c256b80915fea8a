import type { CrossRule } from '../crossCheck';
import { boundGateways, serverHostAdmits, stringsAt } from '../refs';
import type { IndexedResource } from '../index';

function serverHosts(gw: IndexedResource): string[] {
  const servers = Array.isArray(gw.resource.spec.servers) ? (gw.resource.spec.servers as Array<Record<string, unknown>>) : [];
  return servers.flatMap((s) => stringsAt(s?.hosts));
}

export const gatewayNotFound: CrossRule = {
  code: 'xref-gateway-not-found',
  severity: 'warning',
  summary: 'A VirtualService names a Gateway that no file of the workspace defines.',
  source: 'istioctl analyze: virtualservice/gateways.go (IST0101 ReferencedResourceNotFound)',
  subjects: ['VirtualService'],
  check(vs, { index, report }) {
    for (const { i, namespace, name, gw } of boundGateways(index, vs)) {
      if (gw) continue;
      report({
        path: ['spec', 'gateways', i],
        message: `spec.gateways[${i}]: no Gateway ${namespace}/${name} in the workspace (it may exist in the cluster). Use 'mesh', '<name>' for a Gateway in ${vs.namespace}, or '<namespace>/<name>'.`,
        istioCode: 'IST0101',
      });
    }
  },
};

export const hostNotInGateway: CrossRule = {
  code: 'xref-vs-host-not-in-gateway',
  severity: 'warning',
  summary: 'A VirtualService host is served by none of the servers of the Gateways it is bound to.',
  source: 'istioctl analyze: virtualservice/gateways.go (IST0132 VirtualServiceHostNotFoundInGateway)',
  subjects: ['VirtualService'],
  check(vs, { index, report }) {
    const gateways = boundGateways(index, vs).flatMap(({ gw }) => (gw ? [gw] : []));
    if (gateways.length === 0) return;
    stringsAt(vs.resource.spec.hosts).forEach((host, i) => {
      const served = gateways.some((gw) => serverHosts(gw).some((sh) => serverHostAdmits(sh, gw.namespace, vs.namespace, host)));
      if (served) return;
      const names = gateways.map((g) => `${g.namespace}/${g.resource.name}`).join(', ');
      report({
        path: ['spec', 'hosts', i],
        message: `spec.hosts[${i}] '${host}' is not served by any server of ${names}: requests for it are not routed. Add the host to a server's hosts (as '${host}' or '${vs.namespace}/${host}'), or fix the host.`,
        istioCode: 'IST0132',
        related: gateways.map((g) => ({ at: g, path: ['spec', 'servers'], target: 'key' as const, message: `servers of Gateway ${g.namespace}/${g.resource.name}` })),
      });
    });
  },
};
