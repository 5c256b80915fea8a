/**
 * Whether a route's parentRef attaches to a Gateway (or ListenerSet) of the workspace, the way
 * Istio decides it listener by listener (conversion.go referenceAllowed) and reports one reason
 * when none accepts (conditions.go: NotAllowedByListeners before NoMatchingListenerHostname before
 * NoMatchingParent; messages of the same rank joined).
 */
import type { IndexedResource } from '../index';
import { stringsAt } from '../refs';
import type { IndexView } from '../incremental';
import { hostnamesOverlap, listenersOf, namespaceAdmission, routeKindId, supportedKinds, type Listener, type ParentRef } from './model';

/** Gateway API route status reasons (RouteReason*). */
export type ParentReason = 'NotAllowedByListeners' | 'NoMatchingListenerHostname' | 'NoMatchingParent';

const RANK: Record<ParentReason, number> = { NotAllowedByListeners: 1, NoMatchingListenerHostname: 2, NoMatchingParent: 3 };

/** Which field of the route a rejection is about. */
export type RejectedAt = 'port' | 'sectionName' | 'hostnames' | 'name';

interface ListenerError {
  listener: Listener;
  reason: ParentReason;
  message: string;
  at: RejectedAt;
}

export type Attachment = { attached: true; listeners: Listener[] } | { attached: false; reason: ParentReason; message: string; at: RejectedAt; listeners: Listener[] };

function listenerLabel(l: Listener): string {
  return `${l.name ?? `#${l.index}`} (${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''})`;
}

/** Why one listener does not take the route, or undefined when it does. */
function listenerError(route: IndexedResource, ref: ParentRef, owner: IndexedResource, l: Listener, view: IndexView): ListenerError | undefined {
  const ownerName = `${owner.resource.kind} ${owner.namespace}/${owner.resource.name ?? ''}`;
  if (ref.port !== undefined && ref.port !== l.port) {
    return { listener: l, reason: 'NoMatchingParent', at: 'port', message: `${ownerName} has no listener on port ${ref.port}` };
  }
  if (ref.sectionName !== undefined && ref.sectionName !== l.name) {
    return { listener: l, reason: 'NoMatchingParent', at: 'sectionName', message: `${ownerName} has no listener named '${ref.sectionName}'` };
  }
  const hostnames = stringsAt(route.resource.spec.hostnames);
  const hostOk = hostnamesOverlap(hostnames, l.hostname);
  const ns = namespaceAdmission(l, owner.namespace, route.namespace, view);
  if (hostOk && ns.admitted === false) {
    return { listener: l, reason: 'NotAllowedByListeners', at: 'name', message: `listener ${l.name ?? `#${l.index}`} of ${ownerName} does not admit routes from namespace ${route.namespace} (${ns.why})` };
  }
  if (!hostOk) {
    return { listener: l, reason: 'NoMatchingListenerHostname', at: 'hostnames', message: `no hostname matches listener ${l.name ?? `#${l.index}`} hostname ${l.hostname}` };
  }
  const kind = routeKindId(route.resource.kind);
  const kinds = supportedKinds(l);
  if (!kinds.includes(kind)) {
    const accepts = kinds.length ? kinds.map((k) => k.split('/')[1]).join(', ') : 'no route kind Istio supports';
    return { listener: l, reason: 'NotAllowedByListeners', at: 'name', message: `listener ${listenerLabel(l)} of ${ownerName} accepts ${accepts}, not ${route.resource.kind}` };
  }
  return undefined;
}

/** Does the parentRef attach the route to `owner`, and if not, why (one reason, as in the route's status)? */
export function attachment(route: IndexedResource, ref: ParentRef, owner: IndexedResource, view: IndexView): Attachment {
  const listeners = listenersOf(owner);
  const errors: ListenerError[] = [];
  const accepted: Listener[] = [];
  for (const l of listeners) {
    const e = listenerError(route, ref, owner, l, view);
    if (e) errors.push(e);
    else accepted.push(l);
  }
  if (accepted.length > 0 || errors.length === 0) return { attached: true, listeners: accepted };
  const best = Math.min(...errors.map((e) => RANK[e.reason]));
  const chosen = errors.filter((e) => RANK[e.reason] === best);
  const messages = [...new Set(chosen.map((e) => e.message))];
  return { attached: false, reason: chosen[0].reason, at: chosen[0].at, message: messages.join('; '), listeners: chosen.map((e) => e.listener) };
}
