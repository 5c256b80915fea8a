import type { CrossRule } from '../crossCheck';
import type { IndexedResource } from '../index';
import { normalizeServiceHost, objectsAt, stringsAt, type Obj } from '../refs';


/** Bound to the mesh: no gateways at all, or `mesh` among them. */
function boundToMesh(vs: IndexedResource): boolean {
  const gws = stringsAt(vs.resource.spec.gateways);
  return gws.length === 0 || gws.includes('mesh');
}

export const conflictingMeshHosts: CrossRule = {
  code: 'xref-vs-mesh-host-conflict',
  severity: 'warning',
  summary: 'Two VirtualServices bound to the mesh define the same host: which one applies is undefined.',
  source: 'istioctl analyze: virtualservice/conflictingmeshgatewayhosts.go (IST0109 ConflictingMeshGatewayVirtualServiceHosts)',
  check({ index, report }) {
    const byHost = new Map<string, Array<{ vs: IndexedResource; i: number }>>();
    for (const vs of index.ofKind('VirtualService')) {
      if (!boundToMesh(vs)) continue;
      stringsAt(vs.resource.spec.hosts).forEach((h, i) => {
        const key = normalizeServiceHost(h, vs.namespace);
        const list = byHost.get(key) ?? [];
        list.push({ vs, i });
        byHost.set(key, list);
      });
    }
    for (const [host, list] of byHost) {
      const distinct = new Set(list.map((x) => x.vs));
      if (distinct.size < 2) continue;
      for (const { vs, i } of list) {
        const others = list.filter((x) => x.vs !== vs);
        report({
          at: vs,
          path: ['spec', 'hosts', i],
          message: `VirtualServices ${[...distinct].map((v) => `${v.namespace}/${v.resource.name}`).join(', ')} are bound to the mesh and all define host ${host}: the result is undefined. Merge them into one VirtualService.`,
          istioCode: 'IST0109',
          related: others.map((o) => ({ at: o.vs, path: ['spec', 'hosts', o.i], message: `also defines ${host}: ${o.vs.namespace}/${o.vs.resource.name}` })),
        });
      }
    }
  },
};

export const subsetNotFound: CrossRule = {
  code: 'xref-subset-not-found',
  severity: 'warning',
  summary: 'A route names a subset that the DestinationRule(s) of its host in the workspace do not define (silent when no DestinationRule of the host is in the workspace).',
  source: 'istioctl analyze: virtualservice/destinationrules.go (IST0101 ReferencedResourceNotFound for host+subset)',
  check({ index, report }) {
    const byHost = new Map<string, IndexedResource[]>();
    for (const dr of index.ofKind('DestinationRule')) {
      if (typeof dr.resource.spec.host !== 'string') continue;
      const key = normalizeServiceHost(dr.resource.spec.host, dr.namespace);
      byHost.set(key, [...(byHost.get(key) ?? []), dr]);
    }
    for (const vs of index.ofKind('VirtualService')) {
      for (const section of ['http', 'tls', 'tcp'] as const) {
        objectsAt(vs.resource.spec[section]).forEach((route, r) => {
          objectsAt(route.route).forEach((dst, d) => {
            const dest = (dst.destination ?? {}) as Obj;
            if (typeof dest.host !== 'string' || typeof dest.subset !== 'string') return;
            const host = normalizeServiceHost(dest.host, vs.namespace);
            const rules = byHost.get(host) ?? [];
            const path = ['spec', section, r, 'route', d, 'destination', 'subset'];
            // No DestinationRule for the host in the workspace: it may be in the cluster; nothing to say.
            if (rules.length === 0) return;
            const names = rules.flatMap((dr) => objectsAt(dr.resource.spec.subsets).map((s) => s.name)).filter((n): n is string => typeof n === 'string');
            if (names.includes(dest.subset)) return;
            report({
              at: vs,
              path,
              message: `subset '${dest.subset}' is not defined by the DestinationRule of ${host}${names.length ? ` (subsets: ${names.join(', ')})` : ' (it has no subsets)'}: requests routed here fail with 503.`,
              istioCode: 'IST0101',
              related: rules.map((dr) => ({ at: dr, path: ['spec', 'subsets'], target: 'key' as const, message: `DestinationRule ${dr.namespace}/${dr.resource.name}` })),
            });
          });
        });
      }
    }
  },
};
