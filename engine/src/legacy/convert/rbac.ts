/**
 * rbac.istio.io/v1alpha1 (removed in Istio 1.6) → security.istio.io/v1 AuthorizationPolicy.
 * A ServiceRoleBinding and the ServiceRole it references become one ALLOW policy per binding and
 * selected workload: role rules give `to.operation` and `when`, subjects give `from.source` and `when`.
 * RbacConfig/ClusterRbacConfig become allow-nothing (or allow-all) policies.
 */
import type { Path } from '../../model/locate';
import { field, keyOf, recordField } from './fields';
import { announceGuess, guessSelector, isAllServices, parseServiceName } from './selector';
import {
  asArray,
  asRecord,
  asString,
  compact,
  dnsName,
  DRY_RUN_ANNOTATION,
  k8sObject,
  stringList,
  type Conversion,
  type ConvertContext,
  type GeneratedDoc,
  type KeyComment,
  type LegacyDoc,
} from './types';

interface Condition {
  key: string;
  values?: string[];
  notValues?: string[];
}

/** One ServiceRole rule: its operation and conditions, and the workloads it covers. */
interface Permission {
  operation: Record<string, unknown>;
  when: Condition[];
  /** Selector label sets (an empty object: every workload of the namespace). */
  selectors: Array<{ labels: Record<string, string>; comments: KeyComment[] }>;
}

interface Subject {
  source: Record<string, unknown>;
  when: Condition[];
}

const SA_PRINCIPAL = /^[^/]+\/ns\/[^/]+\/sa\/[^/]+$/;

function withoutWildcard(values: string[]): string[] {
  return values.filter((v) => v !== '*');
}

/** Cartesian product of label alternatives: [{a:1},{a:2}] × [{b:3}] → [{a:1,b:3},{a:2,b:3}]. */
function productOf(sets: Array<Array<Record<string, string>>>): Array<Record<string, string>> {
  return sets.reduce<Array<Record<string, string>>>((acc, alts) => acc.flatMap((a) => alts.map((b) => ({ ...a, ...b }))), [{}]);
}

function permissionOf(rule: Record<string, unknown>, at: Path, role: LegacyDoc, ctx: ConvertContext): Permission {
  const doc = role.doc;
  const ports = stringList(rule.ports);
  const notPorts = stringList(field(rule, 'notPorts'));
  const when: Condition[] = [];
  const labelAlternatives: Array<Array<Record<string, string>>> = [];
  let services = stringList(rule.services);
  asArray(rule.constraints).forEach((raw, i) => {
    const c = asRecord(raw) ?? {};
    const key = asString(c.key) ?? '';
    const values = stringList(c.values);
    const cAt: Path = [...at, 'constraints', i];
    const label = /^destination\.labels\[(.+)\]$/.exec(key);
    if (label) labelAlternatives.push(values.map((v) => ({ [label[1]]: v })));
    else if (key === 'destination.port') ports.push(...values);
    else if (key === 'destination.name') services = values;
    else if (key === 'destination.namespace') {
      const ns = role.namespace ?? ctx.defaultNamespace;
      if (values.some((v) => v !== ns && v !== '*')) ctx.note(doc, cAt, 'migrate-unconvertible', 'warning', `constraints: destination.namespace ${values.join(', ')}: an AuthorizationPolicy applies in its own namespace (${ns}); create one in the other namespace by hand.`);
    } else if (key === 'destination.user') {
      ctx.note(doc, cAt, 'migrate-unconvertible', 'warning', 'constraints: destination.user (the destination service account) cannot be expressed; select those workloads with spec.selector instead. The converted policy is broader until you do.');
    } else {
      const kept = withoutWildcard(values);
      if (kept.length < values.length) ctx.note(doc, cAt, 'migrate-unconvertible', 'information', `constraints: the "*" value of ${key} was dropped (it matched any value).`);
      if (kept.length > 0) when.push({ key, values: kept });
    }
  });
  const operation = compact({
    hosts: stringList(rule.hosts),
    notHosts: stringList(field(rule, 'notHosts')),
    ports,
    notPorts,
    methods: withoutWildcard(stringList(rule.methods)),
    notMethods: stringList(field(rule, 'notMethods')),
    paths: withoutWildcard(stringList(rule.paths)),
    notPaths: stringList(field(rule, 'notPaths')),
  });
  const labelSets = productOf(labelAlternatives);
  const selectors: Permission['selectors'] = [];
  services.forEach((svc, j) => {
    if (isAllServices(svc)) {
      for (const labels of labelSets) selectors.push({ labels, comments: [] });
      return;
    }
    const g = guessSelector(svc);
    if (!g) {
      ctx.note(doc, [...at, 'services', j], 'migrate-unconvertible', 'warning', `services: "${svc}" (a prefix or suffix wildcard) cannot be expressed with a workload selector; write one policy per matching workload by hand.`);
      return;
    }
    const comments: KeyComment[] = [];
    announceGuess(ctx, doc, [...at, 'services', j], g, comments);
    for (const labels of labelSets) selectors.push({ labels: { ...g.labels, ...labels }, comments });
  });
  return { operation, when, selectors };
}

function userSource(user: string, originBound: boolean): Record<string, string[]> {
  if (user === '*') return {};
  if (SA_PRINCIPAL.test(user)) return { principals: [user] };
  return originBound || user.includes('/') ? { requestPrincipals: [user] } : { principals: [user] };
}

function mergeSource(into: Record<string, unknown>, add: Record<string, string[]>): void {
  for (const [k, v] of Object.entries(add)) into[k] = [...((into[k] as string[] | undefined) ?? []), ...v];
}

const PROPERTY_SOURCE: Record<string, string> = {
  'source.namespace': 'namespaces',
  'source.ip': 'ipBlocks',
  'source.principal': 'principals',
  'source.user': 'principals',
  'request.auth.principal': 'requestPrincipals',
};

const LIST_SOURCE: Array<[string, string]> = [
  ['names', 'principals'],
  ['notNames', 'notPrincipals'],
  ['namespaces', 'namespaces'],
  ['notNamespaces', 'notNamespaces'],
  ['ips', 'ipBlocks'],
  ['notIps', 'notIpBlocks'],
];

function subjectOf(raw: unknown, at: Path, binding: LegacyDoc, ctx: ConvertContext): Subject {
  const s = asRecord(raw) ?? {};
  const doc = binding.doc;
  const source: Record<string, unknown> = {};
  const when: Condition[] = [];
  const user = asString(s.user);
  if (user !== undefined) {
    const ns = binding.namespace ?? ctx.defaultNamespace;
    const originBound = ctx.originBound.has(ns) || ctx.originBound.has(ctx.rootNamespace);
    const add = userSource(user, originBound);
    mergeSource(source, add);
    if (add.requestPrincipals && !user.includes('/')) {
      ctx.note(doc, [...at, 'user'], 'migrate-user-principal', 'information', `user "${user}": a legacy Policy of this namespace set principalBinding USE_ORIGIN, so the user is the JWT principal (<iss>/<sub>): converted to requestPrincipals.`);
    } else if (add.requestPrincipals) {
      ctx.note(doc, [...at, 'user'], 'migrate-user-principal', 'information', `user "${user}" is not a service account (<trust domain>/ns/<ns>/sa/<sa>): converted to requestPrincipals (a JWT <iss>/<sub>). Use principals if it is a peer identity.`);
    } else if (add.principals && !SA_PRINCIPAL.test(user)) {
      ctx.note(doc, [...at, 'user'], 'migrate-user-principal', 'warning', `user "${user}" is neither a service account nor a JWT <iss>/<sub>: it was kept as a peer principal; check it.`);
    }
  }
  const groups = [asString(s.group), ...stringList(s.groups)].filter((g): g is string => g !== undefined && g !== '*');
  if (groups.length > 0) when.push({ key: 'request.auth.claims[groups]', values: groups });
  const notGroups = stringList(field(s, 'notGroups'));
  if (notGroups.length > 0) when.push({ key: 'request.auth.claims[groups]', notValues: notGroups });
  for (const [from, to] of LIST_SOURCE) mergeSource(source, compact({ [to]: stringList(field(s, from)) }) as Record<string, string[]>);
  const props = recordField(s, 'properties') ?? {};
  for (const [key, rawValue] of Object.entries(props)) {
    const value = asString(rawValue) ?? '';
    const mapped = PROPERTY_SOURCE[key];
    if (mapped && (value !== '*' || mapped.endsWith('rincipals'))) mergeSource(source, { [mapped]: [value] });
    else if (value === '*') ctx.note(doc, [...at, 'properties', key], 'migrate-unconvertible', 'information', `properties: ${key}: "*" matched any value and was dropped.`);
    else if (/^(request\.(auth\.(claims\[.+\]|audiences|presenter)|headers\[.+\])|destination\.(ip|port)|connection\.sni|experimental\..+)$/.test(key)) when.push({ key, values: [value] });
    else ctx.note(doc, [...at, 'properties', key], 'migrate-unconvertible', 'warning', `properties: ${key} has no AuthorizationPolicy equivalent and was dropped; the converted policy is broader.`);
  }
  return { source, when };
}

/** Rule = subject × permission (a request is allowed when it matches any subject and any permission). */
function ruleOf(subject: Subject, perm: Permission): Record<string, unknown> {
  const when = [...subject.when, ...perm.when].map((c) => compact({ ...c }));
  return compact({
    from: Object.keys(subject.source).length > 0 ? [{ source: subject.source }] : undefined,
    to: Object.keys(perm.operation).length > 0 ? [{ operation: perm.operation }] : undefined,
    when,
  });
}

function selectorKey(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function roleKey(namespace: string | undefined, name: string, ctx: Pick<ConvertContext, 'defaultNamespace'>): string {
  return `${namespace ?? ctx.defaultNamespace}/${name}`;
}

/** The role a binding references (roleRef.name, or the 1.4 `role` field with an optional leading "/"). */
export function referencedRole(binding: LegacyDoc): string | undefined {
  const ref = recordField(binding.spec, 'roleRef');
  const name = asString(ref?.name) ?? asString(binding.spec.role);
  return name?.replace(/^\//, '');
}

function permissionsOf(binding: LegacyDoc, ctx: ConvertContext): { perms: Permission[]; role?: LegacyDoc } | undefined {
  const actions = asArray(binding.spec.actions);
  if (actions.length > 0) {
    return { perms: actions.map((r, i) => permissionOf(asRecord(r) ?? {}, ['spec', 'actions', i], binding, ctx)) };
  }
  const name = referencedRole(binding);
  const role = name ? ctx.roles.get(roleKey(binding.namespace, name, ctx)) : undefined;
  if (!role) return undefined;
  return { role, perms: asArray(role.spec.rules).map((r, i) => permissionOf(asRecord(r) ?? {}, ['spec', 'rules', i], role, ctx)) };
}

const BINDING_HEADER = (binding: string, role: string | undefined): string[] => [
  ` ServiceRoleBinding ${binding}${role ? ` with ServiceRole ${role}` : ''}: subjects became rules[].from/when,`,
  ' role rules became rules[].to/when (one rule per subject and role rule; any rule allows).',
];

const PERMISSIVE_HEADER = ' mode PERMISSIVE: the istio.io/dry-run annotation evaluates the policy without enforcing it.';

export function convertBinding(binding: LegacyDoc, ctx: ConvertContext): Conversion | undefined {
  const found = permissionsOf(binding, ctx);
  if (!found) {
    const role = referencedRole(binding) ?? '(none)';
    ctx.note(binding.doc, ['spec', keyOf(binding.spec, 'roleRef')], 'migrate-role-not-found', 'warning', `ServiceRole ${role} is not in this file: convert the binding together with its role (the whole-file conversion needs both).`);
    return undefined;
  }
  const subjectsKey = keyOf(binding.spec, 'subjects');
  const subjects = asArray(binding.spec[subjectsKey]).map((s, i) => subjectOf(s, ['spec', subjectsKey, i], binding, ctx));
  const groups = new Map<string, { labels: Record<string, string>; comments: KeyComment[]; rules: Record<string, unknown>[] }>();
  for (const perm of found.perms) {
    for (const sel of perm.selectors) {
      const key = selectorKey(sel.labels);
      const group = groups.get(key) ?? { labels: sel.labels, comments: sel.comments, rules: [] };
      groups.set(key, group);
      for (const subject of subjects) group.rules.push(ruleOf(subject, perm));
    }
  }
  const permissive = asString(binding.spec.mode) === 'PERMISSIVE';
  const docs: GeneratedDoc[] = [...groups.values()].map((g) => {
    const name = groups.size > 1 ? dnsName(binding.name, ...Object.values(g.labels)) : binding.name;
    const spec = compact({ selector: Object.keys(g.labels).length > 0 ? { matchLabels: g.labels } : undefined, action: 'ALLOW', rules: g.rules });
    const header = BINDING_HEADER(binding.name, found.role?.name);
    if (permissive) header.push(PERMISSIVE_HEADER);
    return { object: k8sObject('AuthorizationPolicy', name, binding.namespace, spec, permissive ? { ...DRY_RUN_ANNOTATION } : undefined), header, comments: g.comments };
  });
  if (docs.length === 0) {
    ctx.note(binding.doc, ['spec'], 'migrate-unconvertible', 'warning', 'No workload could be selected from the role services; nothing was generated.');
    return undefined;
  }
  return { docs, explanation: [] };
}

type RbacMode = 'OFF' | 'ON' | 'ON_WITH_INCLUSION' | 'ON_WITH_EXCLUSION';

function allowNothing(name: string, namespace: string, selector: Record<string, string> | undefined, header: string[], comments: KeyComment[]): GeneratedDoc {
  return { object: k8sObject('AuthorizationPolicy', name, namespace, compact({ selector: selector ? { matchLabels: selector } : undefined })), header, comments };
}

function allowAll(name: string, namespace: string, selector: Record<string, string> | undefined, header: string[], comments: KeyComment[]): GeneratedDoc {
  return { object: k8sObject('AuthorizationPolicy', name, namespace, compact({ selector: selector ? { matchLabels: selector } : undefined, action: 'ALLOW', rules: [{}] })), header, comments };
}

type Maker = typeof allowNothing;

function perNamespaceAndService(src: LegacyDoc, listKey: 'inclusion' | 'exclusion', make: Maker, verb: string, ctx: ConvertContext): GeneratedDoc[] {
  const list = recordField(src.spec, listKey) ?? {};
  const at: Path = ['spec', keyOf(src.spec, listKey)];
  const docs: GeneratedDoc[] = stringList(list.namespaces).map((ns) =>
    make(verb, ns, undefined, [` ${src.kind} ${listKey} of namespace ${ns}: this policy ${verb === 'allow-nothing' ? 'denies every request that no ALLOW policy allows' : 'allows every request'} there.`], []),
  );
  stringList(list.services).forEach((svc, i) => {
    const g = guessSelector(svc);
    if (!g) {
      ctx.note(src.doc, [...at, 'services', i], 'migrate-unconvertible', 'warning', `${listKey}.services: "${svc}" cannot be expressed with a workload selector.`);
      return;
    }
    const comments: KeyComment[] = [];
    announceGuess(ctx, src.doc, [...at, 'services', i], g, comments);
    const ns = g.namespace ?? src.namespace ?? ctx.defaultNamespace;
    docs.push(make(dnsName(verb, g.service), ns, g.labels, [` ${src.kind} ${listKey} of service ${svc}.`], comments));
  });
  return docs;
}

const RBAC_HEADER = (kind: string, mode: string): string[] => [
  ` ${kind} mode ${mode} switched Istio RBAC on; today any AuthorizationPolicy does that for the workloads it selects.`,
  ' An allow-nothing policy (empty spec) denies what no ALLOW policy allows, like RBAC ON did.',
];

export function convertRbacConfig(src: LegacyDoc, ctx: ConvertContext): Conversion {
  const mode = (asString(src.spec.mode) ?? 'OFF') as RbacMode;
  const kind = src.kind;
  if (mode === 'OFF') {
    return {
      docs: [],
      explanation: [` ${kind} ${src.name} (mode OFF) was removed: with no AuthorizationPolicy Istio allows every request, so nothing replaces it.`],
    };
  }
  let docs: GeneratedDoc[];
  if (mode === 'ON_WITH_INCLUSION') docs = perNamespaceAndService(src, 'inclusion', allowNothing, 'allow-nothing', ctx);
  else {
    docs = [allowNothing('allow-nothing', ctx.rootNamespace, undefined, [` Mesh-wide (root namespace ${ctx.rootNamespace}).`], [])];
    if (mode === 'ON_WITH_EXCLUSION') docs.push(...perNamespaceAndService(src, 'exclusion', allowAll, 'allow-all', ctx));
  }
  if (docs.length === 0) return { docs, explanation: [` ${kind} ${src.name} (mode ${mode}) selected nothing that can be converted.`] };
  docs[0].header.unshift(...RBAC_HEADER(kind, mode));
  if (asString(field(src.spec, 'enforcementMode')) === 'PERMISSIVE') {
    for (const d of docs) {
      (d.object.metadata as Record<string, unknown>).annotations = { ...DRY_RUN_ANNOTATION };
      d.header.push(' enforcementMode PERMISSIVE: the istio.io/dry-run annotation evaluates the policy without enforcing it.');
    }
  }
  return { docs, explanation: [] };
}

/** The role document itself converts to nothing: its rules live in the bindings' policies. */
export function roleConsumedExplanation(role: LegacyDoc, bindings: string[]): string[] {
  return [` ServiceRole ${role.name} was converted with its binding(s) ${bindings.join(', ')} (see the AuthorizationPolicy documents).`];
}
