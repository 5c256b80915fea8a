/**
 * The proxies a simulation can be asked about beyond workloads: the Gateway API gateways and the
 * Services (through their waypoints) that policies attach to with targetRefs, and the Gateway API
 * Gateways of the manifests. For the editor's Simulate request command.
 */
import { isObj } from '../jwt/plain';
import { nsOf, targetRefsOf } from './select';
import { GATEWAY_API_GROUP, WAYPOINT_CLASS } from './target';
import type { SimResource, SimTarget } from './types';

export interface TargetChoice {
  target: SimTarget;
  /** "gateway bookinfo/bookinfo-gateway", for a QuickPick. */
  label: string;
  /** Which resources name it. */
  selectedBy: string[];
}

const POLICY_KINDS = new Set(['RequestAuthentication', 'AuthorizationPolicy']);

function groupOf(r: SimResource): string {
  const av = r.apiVersion ?? '';
  return av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
}

/** The target a targetRef names (policies attach from their own namespace), if any. */
function targetOfRef(ref: Record<string, unknown>, namespace: string): SimTarget | undefined {
  const name = typeof ref.name === 'string' ? ref.name : undefined;
  const group = typeof ref.group === 'string' ? ref.group : '';
  if (!name) return undefined;
  if (ref.kind === 'Gateway' && group === GATEWAY_API_GROUP) return { kind: 'gateway', namespace, name };
  if (ref.kind === 'Service' && (group === '' || group === 'core')) return { kind: 'waypoint', service: { namespace, name, kind: 'Service' } };
  if (ref.kind === 'ServiceEntry' && group === 'networking.istio.io') return { kind: 'waypoint', service: { namespace, name, kind: 'ServiceEntry' } };
  return undefined;
}

/** A one-line description of a target (reports and QuickPicks). */
export function describeTarget(t: SimTarget): string {
  if (t.kind === 'gateway') return `gateway ${t.namespace}/${t.name}`;
  if (t.kind === 'waypoint') {
    const via = t.waypoint ? ` via waypoint ${t.waypoint.namespace}/${t.waypoint.name}` : ' (through its waypoint)';
    return t.service ? `${t.service.kind === 'ServiceEntry' ? 'service entry' : 'service'} ${t.service.namespace}/${t.service.name}${via}` : `waypoint ${t.waypoint?.namespace}/${t.waypoint?.name}`;
  }
  const labels = Object.entries(t.labels).map(([k, v]) => `${k}=${v}`).sort().join(',');
  return `${t.namespace}: ${labels || '(no labels)'}`;
}

/** Gateways and waypoint Services named by policies' targetRefs, and the Gateway API Gateways of the resources. */
export function attachedTargets(resources: readonly SimResource[], defaultNamespace: string): TargetChoice[] {
  const byLabel = new Map<string, TargetChoice>();
  const add = (target: SimTarget, by: string): void => {
    const label = describeTarget(target);
    const choice = byLabel.get(label) ?? { target, label, selectedBy: [] };
    if (!choice.selectedBy.includes(by)) choice.selectedBy.push(by);
    byLabel.set(label, choice);
  };
  for (const r of resources) {
    const ns = nsOf(r, defaultNamespace);
    if (r.kind === 'Gateway' && groupOf(r) === GATEWAY_API_GROUP && r.name) {
      if (r.spec.gatewayClassName === WAYPOINT_CLASS) add({ kind: 'waypoint', waypoint: { namespace: ns, name: r.name } }, `Gateway ${ns}/${r.name}`);
      else add({ kind: 'gateway', namespace: ns, name: r.name }, `Gateway ${ns}/${r.name}`);
      continue;
    }
    if (!POLICY_KINDS.has(r.kind)) continue;
    for (const ref of targetRefsOf(r.spec).filter(isObj)) {
      const t = targetOfRef(ref, ns);
      if (t) add(t, `${r.kind} ${ns}/${r.name ?? ''}`);
    }
  }
  return [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label));
}
