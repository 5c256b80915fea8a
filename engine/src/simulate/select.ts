/**
 * Which policies apply to a workload: same namespace or the root namespace, and a selector whose
 * matchLabels are all among the workload's labels (no selector: every workload). Policies with
 * targetRef(s) attach to Gateways / Services (waypoints, gateways) and are not enforced by a
 * workload's sidecar.
 */
import type { SimResource, SimTarget } from './types';
import { isObj, type Obj } from '../jwt/plain';


export interface Selection {
  applies: SimResource[];
  /** One trace line per resource of the kind, saying why it does or does not apply. */
  trace: string[];
}

export function nsOf(r: SimResource, defaultNamespace: string): string {
  return r.namespace ?? defaultNamespace;
}

export function labelOf(r: SimResource, defaultNamespace: string): string {
  return `${r.kind} ${nsOf(r, defaultNamespace)}/${r.name ?? '(unnamed)'}`;
}

function targetRefsOf(spec: Obj): Obj[] {
  const refs = Array.isArray(spec.targetRefs) ? spec.targetRefs.filter(isObj) : [];
  return isObj(spec.targetRef) ? [spec.targetRef, ...refs] : refs;
}

/** Why `r` does not apply to `target`, or undefined when it does. */
function notApplying(r: SimResource, target: SimTarget, rootNamespace: string, defaultNamespace: string): string | undefined {
  const ns = nsOf(r, defaultNamespace);
  if (ns !== target.namespace && ns !== rootNamespace) return `namespace ${ns} is neither the workload's (${target.namespace}) nor the root namespace (${rootNamespace})`;
  const refs = targetRefsOf(r.spec);
  if (refs.length > 0) {
    const kinds = refs.map((t) => `${String(t.kind ?? '?')} ${String(t.name ?? '?')}`).join(', ');
    return `it uses targetRef(s) (${kinds}): it applies to that Gateway/Service (gateway or waypoint proxy), not to a workload sidecar`;
  }
  const selector = isObj(r.spec.selector) && isObj(r.spec.selector.matchLabels) ? r.spec.selector.matchLabels : {};
  const missing = Object.entries(selector).filter(([k, v]) => target.labels[k] !== v);
  if (missing.length > 0) return `its selector needs ${missing.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`;
  return undefined;
}

/** The resources of `kind` that apply to the target, with a trace line for each. */
export function selectPolicies(resources: readonly SimResource[], kind: string, target: SimTarget, rootNamespace: string, defaultNamespace: string): Selection {
  const applies: SimResource[] = [];
  const trace: string[] = [];
  for (const r of resources) {
    if (r.kind !== kind) continue;
    const why = notApplying(r, target, rootNamespace, defaultNamespace);
    if (why) {
      trace.push(`${labelOf(r, defaultNamespace)} does not apply: ${why}.`);
      continue;
    }
    applies.push(r);
    const scope = nsOf(r, defaultNamespace) === rootNamespace && rootNamespace !== target.namespace ? 'mesh-wide (root namespace)' : 'namespace';
    const sel = isObj(r.spec.selector) ? 'selector matches' : 'no selector';
    trace.push(`${labelOf(r, defaultNamespace)} applies (${scope}, ${sel}).`);
  }
  return { applies, trace };
}
