/**
 * Cross-namespace references of Gateway API objects need a ReferenceGrant in the referent's
 * namespace: route backendRefs (and requestMirror backendRefs) to a Service, listener
 * certificateRefs to a Secret. Without one Istio refuses the reference (RefNotPermitted): the
 * backend gets no traffic, the listener no certificate.
 */
import { gatewayApiKey } from '../../model/resource';
import type { CrossReport, CrossRule } from '../crossCheck';
import { backendRefsOf, certificateRefsOf, grantsFor, isGrantable, ROUTE_KEYS, type ObjectRef } from '../gatewayApi/model';
import type { IndexView } from '../incremental';
import type { IndexedResource } from '../index';

function checkRefs(subject: IndexedResource, refs: readonly ObjectRef[], view: IndexView, report: (r: CrossReport) => void): void {
  for (const ref of refs) {
    if (ref.namespace === undefined || ref.namespace === subject.namespace) continue;
    const q = { fromKind: subject.resource.kind, fromNamespace: subject.namespace, toGroup: ref.group, toKind: ref.kind, toNamespace: ref.namespace, toName: ref.name };
    if (!isGrantable(q) || grantsFor(q, view).length > 0) continue;
    const where = ref.path.filter((p) => typeof p === 'string').pop();
    report({
      path: [...ref.path, 'namespace'],
      message: `${where}: ${ref.kind} ${ref.namespace}/${ref.name} is in another namespace, and no ReferenceGrant in ${ref.namespace} of the workspace lets ${subject.resource.kind}s of ${subject.namespace} refer to it. Unless the cluster has one, Istio refuses the reference (RefNotPermitted). Add a ReferenceGrant in ${ref.namespace}: from {group: gateway.networking.k8s.io, kind: ${subject.resource.kind}, namespace: ${subject.namespace}}, to {group: "${ref.group}", kind: ${ref.kind}${ref.name ? `, name: ${ref.name}` : ''}}.`,
    });
  }
}

export const referenceNotPermitted: CrossRule = {
  code: 'xref-reference-not-permitted',
  severity: 'warning',
  summary:
    'A cross-namespace backendRef (to a Service) or listener certificateRef (to a Secret) that no ReferenceGrant of the workspace permits; it may exist in the cluster, else Istio refuses the reference (RefNotPermitted).',
  source: 'pilot/pkg/config/kube/gatewaycommon/references.go (ReferenceGrants); Gateway API ReferenceGrant',
  subjects: [...ROUTE_KEYS, gatewayApiKey('Gateway'), gatewayApiKey('ListenerSet')],
  check(subject, { index, report }) {
    checkRefs(subject, ROUTE_KEYS.includes(subject.key) ? backendRefsOf(subject) : certificateRefsOf(subject), index, report);
  },
};
