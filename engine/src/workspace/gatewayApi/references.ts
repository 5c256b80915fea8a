/**
 * Navigation links of Gateway API objects and of Istio policies attached to them: route
 * parentRefs → the Gateway or ListenerSet (sectionName → the listener), route backendRefs → the
 * Service, policy targetRefs → the Gateway, Service or ServiceEntry; only to objects of the workspace.
 */
import { targetRefKind, targetRefsOf, TARGET_REF_FIELDS } from '../../rules/common/workload';
import type { IndexedResource } from '../index';
import type { ResourcePlace } from '../places';
import type { IndexView } from '../incremental';
import { backendRefsOf, GATEWAY, listenerOwnerKey, listenersOf, parentRefsOf, ROUTE_KEYS, SERVICE } from './model';

export type GatewayApiReferenceKind = 'parent' | 'listener' | 'backend' | 'target';

export interface GatewayApiReference {
  kind: GatewayApiReferenceKind;
  from: ResourcePlace;
  to: ResourcePlace;
}

const NAME = ['metadata', 'name'];

function routeReferences(route: IndexedResource, view: IndexView, out: GatewayApiReference[]): void {
  for (const ref of parentRefsOf(route)) {
    const key = listenerOwnerKey(ref);
    const owner = key ? view.named(key, ref.namespace, ref.name) : undefined;
    if (!owner) continue;
    out.push({ kind: 'parent', from: { at: route, path: ['spec', 'parentRefs', ref.i, 'name'] }, to: { at: owner, path: NAME } });
    const listener = ref.sectionName !== undefined ? listenersOf(owner).find((l) => l.name === ref.sectionName) : undefined;
    if (listener) out.push({ kind: 'listener', from: { at: route, path: ['spec', 'parentRefs', ref.i, 'sectionName'] }, to: { at: owner, path: [...listener.path, 'name'] } });
  }
  for (const b of backendRefsOf(route)) {
    if (b.group !== '' || b.kind !== 'Service') continue;
    const svc = view.named(SERVICE, b.namespace ?? route.namespace, b.name);
    if (svc) out.push({ kind: 'backend', from: { at: route, path: [...b.path, 'name'] }, to: { at: svc, path: NAME } });
  }
}

function policyReferences(policy: IndexedResource, view: IndexView, out: GatewayApiReference[]): void {
  for (const { ref, path } of targetRefsOf(policy)) {
    const kind = targetRefKind(ref);
    if (typeof ref.name !== 'string') continue;
    const key = kind === 'Gateway' ? GATEWAY : kind === 'Service' ? SERVICE : kind === 'ServiceEntry' ? 'ServiceEntry' : undefined;
    const target = key ? view.named(key, policy.namespace, ref.name) : undefined;
    if (target) out.push({ kind: 'target', from: { at: policy, path: [...path, 'name'] }, to: { at: target, path: NAME } });
  }
}

/** Every Gateway API link of the index. */
export function gatewayApiReferences(view: IndexView): GatewayApiReference[] {
  const out: GatewayApiReference[] = [];
  for (const key of ROUTE_KEYS) for (const route of view.ofKind(key)) routeReferences(route, view, out);
  for (const key of Object.keys(TARGET_REF_FIELDS)) for (const policy of view.ofKind(key)) policyReferences(policy, view, out);
  return out;
}
