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

/** The Gateway API links of one subject: a route's parents and backends, a policy's targets. */
export function gatewayApiReferencesOf(subject: IndexedResource, view: IndexView): GatewayApiReference[] {
  const out: GatewayApiReference[] = [];
  if (ROUTE_KEYS.includes(subject.key)) routeReferences(subject, view, out);
  else if (Object.hasOwn(TARGET_REF_FIELDS, subject.key)) policyReferences(subject, view, out);
  return out;
}

/** Kinds whose Gateway API links are collected: the routes and the policies with targetRefs. */
export const GATEWAY_API_REFERRERS: readonly string[] = [...ROUTE_KEYS, ...Object.keys(TARGET_REF_FIELDS)];
