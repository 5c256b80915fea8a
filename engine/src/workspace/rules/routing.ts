import type { CrossRule } from '../crossCheck';
import type { Facet, IndexedResource } from '../index';
import { normalizeServiceHost, objectsAt, stringsAt, type Obj } from '../refs';

/** Bound to the mesh: no gateways at all, or `mesh` among them. */
function boundToMesh(vs: IndexedResource): boolean {
  const gws = stringsAt(vs.resource.spec.gateways);
  return gws.length === 0 || gws.includes('mesh');
}

/** VirtualServices bound to the mesh, by each host they define (normalized). */
const meshHostFacet: Facet = {
  id: 'vs-mesh-host',
  kinds: ['VirtualService'],
  keys: (vs) => (boundToMesh(vs) ? stringsAt(vs.resource.spec.hosts).map((h) => normalizeServiceHost(h, vs.namespace)) : []),
};

export const conflictingMeshHosts: CrossRule = {
  code: 'xref-vs-mesh-host-conflict',
  severity: 'warning',
  summary: 'Two VirtualServices bound to the mesh define the same host: which one applies is undefined.',
  source: 'istioctl analyze: virtualservice/conflictingmeshgatewayhosts.go (IST0109 ConflictingMeshGatewayVirtualServiceHosts)',
  subjects: ['VirtualService'],
  facets: [meshHostFacet],
  check(vs, { index, report }) {
    if (!boundToMesh(vs)) return;
    stringsAt(vs.resource.spec.hosts).forEach((h, i) => {
      const host = normalizeServiceHost(h, vs.namespace);
      const all = index.withFacet(meshHostFacet, host);
      if (all.length < 2) return;
      const others = all
        .filter((o) => o !== vs)
        .flatMap((o) => stringsAt(o.resource.spec.hosts).flatMap((oh, j) => (normalizeServiceHost(oh, o.namespace) === host ? [{ at: o, path: ['spec', 'hosts', j], message: `also defines ${host}: ${o.namespace}/${o.resource.name}` }] : [])));
      report({
        path: ['spec', 'hosts', i],
        message: `VirtualServices ${all.map((v) => `${v.namespace}/${v.resource.name}`).join(', ')} are bound to the mesh and all define host ${host}: the result is undefined. Merge them into one VirtualService.`,
        istioCode: 'IST0109',
        related: others,
      });
    });
  },
};

/** DestinationRules by their host (normalized). */
export const destinationRuleHostFacet: Facet = {
  id: 'dr-host',
  kinds: ['DestinationRule'],
  keys: (dr) => (typeof dr.resource.spec.host === 'string' ? [normalizeServiceHost(dr.resource.spec.host, dr.namespace)] : []),
};

export const subsetNotFound: CrossRule = {
  code: 'xref-subset-not-found',
  severity: 'warning',
  summary: 'A route names a subset that the DestinationRule(s) of its host in the workspace do not define (silent when no DestinationRule of the host is in the workspace).',
  source: 'istioctl analyze: virtualservice/destinationrules.go (IST0101 ReferencedResourceNotFound for host+subset)',
  subjects: ['VirtualService'],
  facets: [destinationRuleHostFacet],
  check(vs, { index, report }) {
    for (const section of ['http', 'tls', 'tcp'] as const) {
      objectsAt(vs.resource.spec[section]).forEach((route, r) => {
        objectsAt(route.route).forEach((dst, d) => {
          const dest = (dst.destination ?? {}) as Obj;
          if (typeof dest.host !== 'string' || typeof dest.subset !== 'string') return;
          const host = normalizeServiceHost(dest.host, vs.namespace);
          const rules = index.withFacet(destinationRuleHostFacet, host);
          // No DestinationRule for the host in the workspace: it may be in the cluster; nothing to say.
          if (rules.length === 0) return;
          const names = rules.flatMap((dr) => objectsAt(dr.resource.spec.subsets).map((s) => s.name)).filter((n): n is string => typeof n === 'string');
          if (names.includes(dest.subset)) return;
          report({
            path: ['spec', section, r, 'route', d, 'destination', 'subset'],
            message: `subset '${dest.subset}' is not defined by the DestinationRule of ${host}${names.length ? ` (subsets: ${names.join(', ')})` : ' (it has no subsets)'}: requests routed here fail with 503.`,
            istioCode: 'IST0101',
            related: rules.map((dr) => ({ at: dr, path: ['spec', 'subsets'], target: 'key' as const, message: `DestinationRule ${dr.namespace}/${dr.resource.name}` })),
          });
        });
      });
    }
  },
};
