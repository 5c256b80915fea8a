/**
 * A VirtualService destination → a Gateway API backendRef: the Service (short name or
 * <name>.<namespace>.svc.cluster.local), a subset as a guessed per-subset Service, a ServiceEntry
 * host as Istio's Hostname backend, and the ReferenceGrant a backend in another namespace needs.
 */
import type { Path } from '../../model/locate';
import { asRecord, asString, backendRefFields, backendTarget, type Obj } from './common';
import type { ConversionContext, GeneratedDoc, SourceDoc } from './types';

/** A comment for a key inside a rule, relative to the rule. */
export interface RuleComment {
  path: Path;
  text: string;
}

/** What converting one route's rules needs. */
export interface RuleEnv {
  ctx: ConversionContext;
  src: SourceDoc;
  /** The route's namespace (effective). */
  routeNamespace: string;
  /** `spec.gateways` entries that are converted gateways (match-level gateways are checked against them). */
  convertedRefs: ReadonlySet<string>;
  /** ReferenceGrants this route needs (collected). */
  grants: GeneratedDoc[];
}

export function note(env: RuleEnv, path: Path, code: string, severity: 'information' | 'warning', message: string): void {
  env.ctx.note(env.src, path, code, severity, message);
}

/** A destination → backendRef fields (+ a ReferenceGrant for another namespace), or why not. */
export function backendRef(dest: Obj, at: Path, env: RuleEnv, routeKind: string, comments: RuleComment[], rel: Path): Obj | undefined {
  const host = asString(dest.host) ?? '';
  const target = backendTarget(host, env.routeNamespace);
  if (!target) {
    note(env, [...at, 'host'], 'gwapi-unconvertible', 'warning', `destination host ${JSON.stringify(host)}: a wildcard or empty host names no backend; not converted.`);
    return undefined;
  }
  const port = Number((asRecord(dest.port) ?? {}).number);
  const subset = asString(dest.subset);
  const serviceName = target.name;
  if (target.kind === 'Hostname') {
    note(env, [...at, 'host'], 'gwapi-hostname-backend', 'information', `destination ${host} is not a Kubernetes Service name (a short name or <name>.<namespace>.svc.cluster.local): it becomes Istio's networking.istio.io/Hostname backend, which a ServiceEntry host must define.`);
  }
  if (subset !== undefined && target.kind === 'Service') {
    const service = `${target.name}-${subset}`.toLowerCase();
    comments.push({ path: [...rel, 'name'], text: ` TODO(istio-sec): a Service ${service} selecting the pods of subset ${subset} of ${target.name} (its DestinationRule labels)` });
    note(env, [...at, 'subset'], 'gwapi-guessed-subset-service', 'information', `subset ${subset}: Gateway API routes to Services, not DestinationRule subsets. The backend is a guessed Service ${service}; create it with the subset's labels as selector (Istio's samples name it that way) or change the name.`);
    target.name = service;
  } else if (subset !== undefined) {
    note(env, [...at, 'subset'], 'gwapi-unconvertible', 'warning', `subset ${subset} of ${host}: a Hostname backend has no subsets; not converted (every endpoint of the host receives traffic).`);
  }
  let number = Number.isInteger(port) && port > 0 ? port : undefined;
  if (number === undefined && target.kind === 'Service') {
    const known = env.ctx.servicePorts(target.namespace, serviceName);
    if (known?.length === 1) {
      number = known[0];
      note(env, [...at, 'host'], 'gwapi-backend-port', 'information', `destination ${host} has no port: Istio used the Service's only port, ${number}, which the backendRef now names.`);
    } else {
      comments.push({ path: [...rel, 'name'], text: ' TODO(istio-sec): set port: a Service backendRef needs one' });
      note(env, [...at, 'host'], 'gwapi-backend-port', 'warning', `destination ${host} has no port: Istio picked the Service's only port; a Gateway API backendRef to a Service must name it (backendRefs[].port).`);
    }
  }
  if (target.kind === 'Service' && target.namespace !== env.routeNamespace) {
    const grant = env.ctx.grant(env.routeNamespace, routeKind, target.namespace, target.name);
    if (grant && !env.grants.includes(grant)) env.grants.push(grant);
  }
  return backendRefFields(target, env.routeNamespace, number);
}

