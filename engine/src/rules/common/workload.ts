/**
 * Workload selection shared by every kind: plain-data access helpers, Kubernetes label syntax
 * (pkg/config/labels), workload selectors (validateWorkloadSelector, ValidateAlphaWorkloadSelector)
 * and policy target references (validatePolicyTargetReference), all from
 * pkg/config/validation/validation.go. What the CRDs' CEL rules already reject (empty or wildcard
 * matchLabels keys, wildcard values, selector/targetRef exclusivity, targetRef namespace) is left
 * to the schema validator.
 */
import type { Path } from '../../model/locate';
import { defineRules, type RuleContext } from '../rule';

// ---------------------------------------------------------------------------------------------
// Plain-data access (the document as YAML-to-JS data).

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Entries of a list that are mappings, with their index. */
export function objItems(v: unknown): Array<{ item: Obj; index: number }> {
  const out: Array<{ item: Obj; index: number }> = [];
  asList(v).forEach((x, index) => {
    const item = asObj(x);
    if (item) out.push({ item, index });
  });
  return out;
}

/** Entries of a list that are strings, with their index. */
export function stringItems(v: unknown): Array<{ value: string; index: number }> {
  const out: Array<{ value: string; index: number }> = [];
  asList(v).forEach((x, index) => {
    if (typeof x === 'string') out.push({ value: x, index });
  });
  return out;
}

/** True when the field is set to something other than null (proto: the message/field is non-nil). */
export function isSet(obj: Obj, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}

/** A repeated field is "set" for Istio only when it has items (an empty YAML list decodes to nil). */
export function hasItems(obj: Obj, key: string): boolean {
  return asList(obj[key]).length > 0;
}

/** String entries of a map (label maps), ignoring non-string values (the schema reports those). */
export function stringEntries(v: unknown): Array<[string, string]> {
  const o = asObj(v);
  if (!o) return [];
  return Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string');
}

// ---------------------------------------------------------------------------------------------
// Kubernetes label syntax, as pkg/config/labels (Instance.Validate, validateTagKey) checks it.

const DNS1123_LABEL = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const QUALIFIED_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY = new RegExp(`^(${DNS1123_LABEL}(?:\\.${DNS1123_LABEL})*/)?(${QUALIFIED_NAME})$`);
const LABEL_VALUE = new RegExp(`^(${QUALIFIED_NAME})?$`);
export const LABEL_NAME_MAX = 63;
const LABEL_PREFIX_MAX = 253;

const KEY_SYNTAX =
  'a label key is an optional DNS prefix and "/" followed by a name of letters, digits, "-", "_" or "." that starts and ends with a letter or digit (e.g. app or example.com/tier)';

export function labelKeyProblem(key: string): string | undefined {
  const m = LABEL_KEY.exec(key);
  if (!m) return `'${key}' is not a valid label key: ${KEY_SYNTAX}.`;
  if (m[1] && m[1].length - 1 > LABEL_PREFIX_MAX) return `Label key '${key}' has a DNS prefix longer than ${LABEL_PREFIX_MAX} characters.`;
  if (m[2].length > LABEL_NAME_MAX) return `Label key '${key}' has a name longer than ${LABEL_NAME_MAX} characters.`;
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  return LABEL_VALUE.test(value)
    ? undefined
    : `'${value}' is not a valid label value: use letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or an empty value).`;
}

// ---------------------------------------------------------------------------------------------
// Where each kind keeps its selector, label maps and target references.

interface SelectorField {
  /** Field under spec holding the selector. */
  field: string;
  /** Field of the selector holding the labels: matchLabels (istio.type.v1beta1) or labels (networking). */
  labels: 'matchLabels' | 'labels';
}

/** Kinds whose selector istiod validates with validateWorkloadSelector or ValidateAlphaWorkloadSelector. */
export const SELECTOR_FIELDS: Readonly<Record<string, SelectorField>> = {
  AuthorizationPolicy: { field: 'selector', labels: 'matchLabels' },
  RequestAuthentication: { field: 'selector', labels: 'matchLabels' },
  PeerAuthentication: { field: 'selector', labels: 'matchLabels' },
  Telemetry: { field: 'selector', labels: 'matchLabels' },
  WasmPlugin: { field: 'selector', labels: 'matchLabels' },
  TrafficExtension: { field: 'selector', labels: 'matchLabels' },
  ProxyConfig: { field: 'selector', labels: 'matchLabels' },
  DestinationRule: { field: 'workloadSelector', labels: 'matchLabels' },
  Sidecar: { field: 'workloadSelector', labels: 'labels' },
  EnvoyFilter: { field: 'workloadSelector', labels: 'labels' },
  ServiceEntry: { field: 'workloadSelector', labels: 'labels' },
};

/** Kinds validated with validatePolicyTargetReference(s), and which of targetRef / targetRefs they have. */
export const TARGET_REF_FIELDS: Readonly<Record<string, ReadonlyArray<'targetRef' | 'targetRefs'>>> = {
  AuthorizationPolicy: ['targetRef', 'targetRefs'],
  RequestAuthentication: ['targetRef', 'targetRefs'],
  Telemetry: ['targetRef', 'targetRefs'],
  WasmPlugin: ['targetRef', 'targetRefs'],
  TrafficExtension: ['targetRefs'],
};

/** Label maps validated with labels.Instance.Validate: a path from spec, `*` meaning every list item. */
export const LABEL_MAP_PATHS: Readonly<Record<string, ReadonlyArray<ReadonlyArray<string>>>> = {
  DestinationRule: [['subsets', '*', 'labels']],
  VirtualService: [
    ['http', '*', 'match', '*', 'sourceLabels'],
    ['tls', '*', 'match', '*', 'sourceLabels'],
    ['tcp', '*', 'match', '*', 'sourceLabels'],
  ],
  ServiceEntry: [['endpoints', '*', 'labels']],
  WorkloadEntry: [['labels']],
  WorkloadGroup: [['metadata', 'labels']],
};

/** Every concrete value reached by a pattern path (with `*` for list items), with its full path. */
export function expandPath(root: unknown, pattern: ReadonlyArray<string>, base: Path): Array<{ value: unknown; path: Path }> {
  let current: Array<{ value: unknown; path: Path }> = [{ value: root, path: base }];
  for (const step of pattern) {
    const next: Array<{ value: unknown; path: Path }> = [];
    for (const { value, path } of current) {
      if (step === '*') asList(value).forEach((v, i) => next.push({ value: v, path: [...path, i] }));
      else {
        const o = asObj(value);
        if (o && o[step] !== undefined) next.push({ value: o[step], path: [...path, step] });
      }
    }
    current = next;
  }
  return current;
}

export interface SelectorAt {
  /** ['spec', field] */
  path: Path;
  /** The selector mapping. */
  selector: Obj;
  labelsKey: 'matchLabels' | 'labels';
  labels: Array<[string, string]>;
}

/** The kind's workload selector when it is set to a mapping (a null selector is no selector). */
export function selectorOf(ctx: RuleContext): SelectorAt | undefined {
  const f = SELECTOR_FIELDS[ctx.resource.kind];
  if (!f) return undefined;
  const selector = asObj(ctx.resource.spec[f.field]);
  if (!selector) return undefined;
  return { path: ['spec', f.field], selector, labelsKey: f.labels, labels: stringEntries(selector[f.labels]) };
}

/** True when the resource selects workloads by labels (a non-empty selector). */
export function hasWorkloadSelector(ctx: RuleContext): boolean {
  const s = selectorOf(ctx);
  return s !== undefined && Object.keys(asObj(s.selector[s.labelsKey]) ?? {}).length > 0;
}

interface AllowedTarget {
  group: string;
  kind: string;
}

/** validation.go allowedTargetRefs (group compared canonically: "" and "core" are the core group). */
export const ALLOWED_TARGET_REFS: readonly AllowedTarget[] = [
  { group: 'core', kind: 'Service' },
  { group: 'networking.istio.io', kind: 'ServiceEntry' },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
];

/** The CRD's patterns for PolicyTargetReference group and kind. */
const TARGET_GROUP_PATTERN = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TARGET_KIND_PATTERN = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

const canonicalGroup = (g: string): string => (g === '' ? 'core' : g);
const describeTarget = (t: AllowedTarget): string => `${t.kind} (group ${t.group === 'core' ? '""' : t.group})`;

/** Why a targetRef's group/kind is not allowed, or undefined when it is. */
export function targetRefProblem(group: string, kind: string): string | undefined {
  const g = canonicalGroup(group);
  if (ALLOWED_TARGET_REFS.some((t) => t.kind === kind && t.group === g)) return undefined;
  const sameKind = ALLOWED_TARGET_REFS.find((t) => t.kind === kind);
  const allowed = ALLOWED_TARGET_REFS.map(describeTarget).join(', ');
  if (sameKind) {
    return `targetRef kind ${kind} must have group ${sameKind.group === 'core' ? '"" (or omit group)' : `'${sameKind.group}'`}, not '${group}'. Allowed targets: ${allowed}.`;
  }
  return `targetRef kind '${kind}' (group '${group}') is not supported; targetRef must be one of ${allowed}.`;
}

/** What a targetRef points at (Service, ServiceEntry, Gateway, GatewayClass), or undefined for any other group/kind. */
export function targetRefKind(ref: Obj): string | undefined {
  const group = canonicalGroup(typeof ref.group === 'string' ? ref.group : '');
  return ALLOWED_TARGET_REFS.find((t) => t.kind === ref.kind && t.group === group)?.kind;
}

/** Each targetRef / targetRefs[i] of the resource that is a mapping, with its path. */
export function targetRefsOf(ctx: Pick<RuleContext, 'resource'>): Array<{ ref: Obj; path: Path }> {
  const fields = TARGET_REF_FIELDS[ctx.resource.kind] ?? [];
  const out: Array<{ ref: Obj; path: Path }> = [];
  for (const field of fields) {
    const v = ctx.resource.spec[field];
    if (field === 'targetRef') {
      const ref = asObj(v);
      if (ref) out.push({ ref, path: ['spec', field] });
    } else {
      for (const { item, index } of objItems(v)) out.push({ ref: item, path: ['spec', field, index] });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules.

const VALIDATION = 'pkg/config/validation/validation.go';
const SELECTOR_KINDS = Object.keys(SELECTOR_FIELDS);
const ALPHA_SELECTOR_KINDS = SELECTOR_KINDS.filter((k) => SELECTOR_FIELDS[k].labels === 'labels');

export const workloadRules = defineRules([
  {
    code: 'workload-selector-empty',
    severity: 'warning',
    kinds: SELECTOR_KINDS,
    summary: 'A selector is present but has no labels: istiod warns, and the resource applies to every workload in its namespace.',
    source: `${VALIDATION}: validateWorkloadSelector, ValidateAlphaWorkloadSelector`,
    check(ctx) {
      const s = selectorOf(ctx);
      if (!s || Object.keys(asObj(s.selector[s.labelsKey]) ?? {}).length > 0) return;
      ctx.report({
        path: s.path,
        target: 'key',
        message: `${s.path[1]} is set without ${s.labelsKey}: istiod accepts it with the warning "workload selector specified without labels", and it selects every workload in the namespace. Add ${s.labelsKey} (e.g. app: my-app) or remove ${s.path[1]}.`,
      });
    },
  },
  {
    code: 'workload-selector-key-invalid',
    severity: 'error',
    kinds: ALPHA_SELECTOR_KINDS,
    summary: 'workloadSelector.labels has an empty key or a key with a wildcard; the webhook rejects it.',
    source: `${VALIDATION}: ValidateAlphaWorkloadSelector`,
    check(ctx) {
      const s = selectorOf(ctx);
      if (!s) return;
      for (const key of Object.keys(asObj(s.selector[s.labelsKey]) ?? {})) {
        const problem = key === '' ? 'an empty key is not supported' : key.includes('*') ? `wildcard '*' is not supported in key '${key}'` : undefined;
        if (!problem) continue;
        ctx.report({
          path: [...s.path, s.labelsKey, key],
          target: 'key',
          message: `workloadSelector.labels: ${problem}; use exact label names such as app or version.`,
        });
      }
    },
  },
  {
    code: 'workload-selector-label-syntax',
    severity: 'warning',
    kinds: SELECTOR_KINDS,
    summary: 'A selector label key or value is not valid Kubernetes label syntax, so no workload can carry it and the selector matches nothing.',
    source: 'pkg/config/labels/instance.go (Kubernetes label syntax); istiod does not check selectors against it',
    check(ctx) {
      const s = selectorOf(ctx);
      if (!s) return;
      for (const [key, value] of s.labels) {
        // Empty keys and wildcards are rejected elsewhere (CEL rules or workload-selector-key-invalid).
        if (key === '' || key.includes('*') || value.includes('*')) continue;
        const keyProblem = labelKeyProblem(key);
        const valueProblem = keyProblem ? undefined : labelValueProblem(value);
        const problem = keyProblem ?? valueProblem;
        if (!problem) continue;
        ctx.report({
          path: [...s.path, s.labelsKey, key],
          target: keyProblem ? 'key' : 'value',
          message: `${problem} No workload can have this label, so ${s.path[1]} matches nothing.`,
        });
      }
    },
  },
  {
    code: 'workload-label-invalid',
    severity: 'error',
    kinds: Object.keys(LABEL_MAP_PATHS),
    summary: 'A label map (subset labels, sourceLabels, endpoint or workload labels) has a key or value that is not Kubernetes label syntax; the webhook rejects it.',
    source: 'pkg/config/labels/instance.go: Instance.Validate (called from pkg/config/validation/validation.go and virtualservice.go)',
    check(ctx) {
      for (const pattern of LABEL_MAP_PATHS[ctx.resource.kind] ?? []) {
        for (const { value, path } of expandPath(ctx.resource.spec, pattern, ['spec'])) {
          for (const [key, v] of stringEntries(value)) {
            const keyProblem = labelKeyProblem(key);
            if (keyProblem) ctx.report({ path: [...path, key], target: 'key', message: `${path.filter((p) => typeof p === 'string').pop()}: ${keyProblem}` });
            const valueProblem = labelValueProblem(v);
            if (valueProblem) ctx.report({ path: [...path, key], message: `${path.filter((p) => typeof p === 'string').pop()}: ${valueProblem}` });
          }
        }
      }
    },
  },
  {
    code: 'workload-target-ref-kind',
    severity: 'error',
    kinds: Object.keys(TARGET_REF_FIELDS),
    summary: 'targetRef(s) names a group/kind other than Service, ServiceEntry, Gateway or GatewayClass; the webhook rejects it.',
    source: `${VALIDATION}: validatePolicyTargetReference (allowedTargetRefs)`,
    check(ctx) {
      for (const { ref, path } of targetRefsOf(ctx)) {
        const group = typeof ref.group === 'string' ? ref.group : '';
        // Missing kind, or group/kind outside the CRD patterns: the schema validator reports those.
        if (typeof ref.kind !== 'string' || !TARGET_KIND_PATTERN.test(ref.kind) || !TARGET_GROUP_PATTERN.test(group)) continue;
        const problem = targetRefProblem(group, ref.kind);
        if (!problem) continue;
        const kindAllowed = ALLOWED_TARGET_REFS.some((t) => t.kind === ref.kind);
        ctx.report({ path: [...path, kindAllowed && 'group' in ref ? 'group' : 'kind'], message: problem });
      }
    },
  },
]);
