/**
 * AuthorizationPolicy: istiod's webhook (pkg/config/validation/validation.go:
 * ValidateAuthorizationPolicy, checkDryRunAnnotation; pkg/config/security/security.go), the
 * conditions analyzer (IST0171), and a few warnings beyond Istio for constructs that are accepted
 * but never match what their authors meant.
 */
import { editDistance } from '../text/similarity';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Fix, TextEdit } from '../diagnostics';
import { locate, type Path } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import { ipOrCidrProblem, isPortString, parsePortRange } from './common/net';
import { asList, asObj, hasItems, isSet, objItems, stringItems, type Obj } from './common/workload';
import { defineRules, type Report, type RuleContext } from './rule';

const VALIDATION = 'pkg/config/validation/validation.go';
const SECURITY = 'pkg/config/security/security.go';
const KIND = ['AuthorizationPolicy'];

// ---------------------------------------------------------------------------------------------
// Field tables.

/** Source fields that make a `from` non-empty (validation.go's emptiness check). */
export const SOURCE_FIELDS = [
  'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts',
  'trustDomains', 'notTrustDomains',
] as const;

/** Source fields CUSTOM does not support (identity from mTLS or JWT). */
const CUSTOM_UNSUPPORTED_SOURCE = [
  'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains',
  'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals',
] as const;

/** Source fields that count as TCP attributes for the DENY warning (trust domains do not, as in Istio). */
const TCP_SOURCE_FIELDS = [
  'principals', 'notPrincipals', 'ipBlocks', 'notIpBlocks', 'namespaces', 'notNamespaces',
  'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts',
] as const;

export const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;

const IP_SOURCE_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const;

type ValueKind = 'ip' | 'port' | 'serviceAccount' | 'wildcard' | 'none';

interface Attribute {
  key: string;
  /** Map-style keys (`request.headers[...]`) are matched by prefix and need `[name]`. */
  map?: boolean;
  values: ValueKind;
  example: string;
}

/** The `when` keys security.ValidateAttribute accepts, with the value format each one checks. */
export const ATTRIBUTES: readonly Attribute[] = [
  { key: 'request.headers', map: true, values: 'none', example: 'request.headers[User-Agent]' },
  { key: 'source.ip', values: 'ip', example: '10.1.2.3 or 10.1.0.0/16' },
  { key: 'remote.ip', values: 'ip', example: '10.1.2.3 or 10.1.0.0/16' },
  { key: 'source.namespace', values: 'none', example: 'default' },
  { key: 'source.serviceAccount', values: 'serviceAccount', example: 'default/productpage' },
  { key: 'source.principal', values: 'none', example: 'cluster.local/ns/default/sa/productpage' },
  { key: 'source.trustDomain', values: 'wildcard', example: 'cluster.local' },
  { key: 'request.auth.principal', values: 'none', example: 'https://issuer.example.com/subject' },
  { key: 'request.auth.audiences', values: 'none', example: 'my-audience' },
  { key: 'request.auth.presenter', values: 'none', example: 'my-client-id' },
  { key: 'request.auth.claims', map: true, values: 'none', example: 'request.auth.claims[groups]' },
  { key: 'destination.ip', values: 'ip', example: '10.1.2.3 or 10.1.0.0/16' },
  { key: 'destination.port', values: 'port', example: '8080' },
  { key: 'connection.sni', values: 'none', example: 'www.example.com' },
  { key: 'experimental.envoy.filters.', map: true, values: 'none', example: 'experimental.envoy.filters.network.mysql_proxy[db.table]' },
];

/** Keys Istio removed, with Istio's own explanation (security.ValidateAttribute). */
const REMOVED_ATTRIBUTES: ReadonlyArray<{ key: string; prefix?: boolean; why: string }> = [
  { key: 'destination.namespace', why: 'it is replaced by the policy\'s metadata.namespace' },
  { key: 'destination.labels', prefix: true, why: 'it is replaced by the workload selector (spec.selector.matchLabels)' },
  { key: 'destination.name', why: 'it was only supported in v1alpha1 (deprecated attribute); select the workload with spec.selector or targetRefs' },
  { key: 'destination.user', why: 'it was only supported in v1alpha1 (deprecated attribute); select the workload with spec.selector or targetRefs' },
];

/** Old names users still write, mapped to the current attribute (not Istio's wording, a hint only). */
const RENAMED_HINTS: Readonly<Record<string, string>> = {
  'source.user': 'source.principal',
  'request.header': 'request.headers',
  'request.auth.claim': 'request.auth.claims',
  'source.ips': 'source.ip',
  'source.namespaces': 'source.namespace',
  'source.principals': 'source.principal',
  'request.auth.principals': 'request.auth.principal',
  'request.auth.audience': 'request.auth.audiences',
  'destination.ports': 'destination.port',
};

const WHEN_KEYS_TEXT = ATTRIBUTES.map((a) => (a.map ? (a.key.endsWith('.') ? `${a.key}*[...]` : `${a.key}[...]`) : a.key)).join(', ');

// ---------------------------------------------------------------------------------------------
// Walking the policy.

type Action = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

/** The policy's action; ALLOW when unset. Undefined for values the schema rejects. */
function actionOf(spec: Obj): Action | undefined {
  const a = spec.action ?? 'ALLOW';
  return a === 'ALLOW' || a === 'DENY' || a === 'AUDIT' || a === 'CUSTOM' ? a : undefined;
}

interface RuleAt {
  rule: Obj;
  path: Path;
}

function rulesOf(spec: Obj): RuleAt[] {
  return objItems(spec.rules).map(({ item, index }) => ({ rule: item, path: ['spec', 'rules', index] }));
}

interface SourceAt {
  source: Obj;
  path: Path;
}

function sourcesOf(r: RuleAt): SourceAt[] {
  const out: SourceAt[] = [];
  for (const { item, index } of objItems(r.rule.from)) {
    const source = asObj(item.source);
    if (source) out.push({ source, path: [...r.path, 'from', index, 'source'] });
  }
  return out;
}

function operationsOf(r: RuleAt): SourceAt[] {
  const out: SourceAt[] = [];
  for (const { item, index } of objItems(r.rule.to)) {
    const source = asObj(item.operation);
    if (source) out.push({ source, path: [...r.path, 'to', index, 'operation'] });
  }
  return out;
}

interface ConditionAt {
  key: unknown;
  cond: Obj;
  path: Path;
}

function conditionsOf(r: RuleAt): ConditionAt[] {
  return objItems(r.rule.when).map(({ item, index }) => ({ key: item.key, cond: item, path: [...r.path, 'when', index] }));
}

function allRules(ctx: RuleContext): RuleAt[] {
  return rulesOf(ctx.resource.spec);
}

/** Every string of a list field, with its path. */
function valuesAt(obj: Obj, field: string, base: Path): Array<{ value: string; path: Path }> {
  return stringItems(obj[field]).map(({ value, index }) => ({ value, path: [...base, field, index] }));
}

/** Each when-condition list (values / notValues) with its strings. */
function conditionLists(c: ConditionAt): Array<{ field: string; items: Array<{ value: string; path: Path }> }> {
  return ['values', 'notValues'].map((field) => ({ field, items: valuesAt(c.cond, field, c.path) }));
}

function findAttribute(key: string): Attribute | undefined {
  return ATTRIBUTES.find((a) => (a.map ? key.startsWith(a.key) : key === a.key));
}

/** security.go validateMapKey: `name[inner]` with a non-empty inner part. */
function isMapKey(key: string): boolean {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2;
}

// ---------------------------------------------------------------------------------------------
// Value checks shared by source/operation fields and when-conditions.

/** security.CheckServiceAccount for one value; `checkLength` off where the CRD schema already limits it. */
export function serviceAccountProblem(value: string, checkLength: boolean): string | undefined {
  if (value.includes('*')) return `'${value}': wildcards are not allowed in service accounts`;
  const slashes = value.split('/').length - 1;
  const form = "expected 'serviceAccount' or 'namespace/serviceAccount'";
  if (slashes > 1) return `'${value}': ${form} (use principals for full SPIFFE identities such as cluster.local/ns/default/sa/name)`;
  if (checkLength && value.length > 320) return `'${value.slice(0, 40)}...' is longer than 320 characters`;
  if (slashes === 1) {
    const [ns, sa] = value.split('/');
    if (ns === '') return `'${value}': ${form}, found an empty namespace`;
    if (sa === '') return `'${value}': ${form}, found an empty service account`;
  }
  return undefined;
}

/** security.CheckWildcardValues (plus the trust-domain `/` rule when `trustDomain`). */
export function wildcardProblem(value: string, trustDomain: boolean): string | undefined {
  const count = value.split('*').length - 1;
  if (count > 1) return `'${value}': at most one wildcard '*' is allowed`;
  if (count === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*')) {
    return `'${value}': the wildcard '*' is only allowed at the start or end (exact, prefix foo*, suffix *foo, or *)`;
  }
  if (trustDomain && value.includes('/')) return `'${value}': a trust domain must not contain '/' (write cluster.local, not a principal)`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// YAML edits for quick fixes.

function nodeOffsets(doc: ParsedDoc, path: Path): [number, number] | undefined {
  const loc = locate(doc.yaml, path);
  if (loc.depth < path.length) return undefined;
  const r = (loc.node as Node | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function edit(doc: ParsedDoc, start: number, end: number, newText: string): TextEdit {
  return { range: doc.lines.range(start, end), newText };
}

function lineEndOffset(doc: ParsedDoc, offset: number): number {
  const nl = doc.text.indexOf('\n', offset);
  return nl === -1 ? doc.text.length : nl;
}

/** Edit that makes `spec.rules` a list holding the empty rule `{}`, whatever its current form. */
export function addEmptyRuleEdit(doc: ParsedDoc): TextEdit | undefined {
  const rules = locate(doc.yaml, ['spec', 'rules']);
  if (rules.depth === 2 && rules.pair) {
    const node = rules.node as Node | null | undefined;
    const keyEnd = (rules.pair.key as Node).range?.[1];
    if (node?.range && node.range[1] > node.range[0] && (isSeq(node) || (isScalar(node) && node.value === null))) {
      return edit(doc, node.range[0], node.range[1], '[{}]');
    }
    if ((node === null || node === undefined || (isScalar(node) && node.value === null)) && keyEnd !== undefined) {
      const colon = doc.text.indexOf(':', keyEnd);
      return colon === -1 ? undefined : edit(doc, colon + 1, colon + 1, ' [{}]');
    }
    return undefined;
  }
  const spec = locate(doc.yaml, ['spec']).node;
  const action = locate(doc.yaml, ['spec', 'action']);
  const actionKey = action.pair?.key as Node | undefined;
  const actionValue = action.node as Node | null | undefined;
  if (!isMap(spec) || !actionKey?.range || !actionValue?.range) return undefined;
  if (spec.flow) return edit(doc, actionValue.range[1], actionValue.range[1], ', rules: [{}]');
  const indent = doc.lines.positionAt(actionKey.range[0]).character;
  const at = lineEndOffset(doc, actionValue.range[1]);
  const pad = ' '.repeat(indent);
  return edit(doc, at, at, `\n${pad}rules:\n${pad}- {}`);
}

/** Replaces one string item of a sequence by several, in flow (`[a, b]`) or block (`- a`) style. */
export function splitItemEdit(doc: ParsedDoc, path: Path, replacements: string[]): TextEdit | undefined {
  const off = nodeOffsets(doc, path);
  if (!off) return undefined;
  const source = doc.text.slice(off[0], off[1]);
  const quote = source.startsWith("'") ? "'" : '"';
  const items = replacements.map((r) => `${quote}${r}${quote}`);
  const parent = locate(doc.yaml, path.slice(0, -1)).node;
  if (!isSeq(parent)) return undefined;
  if (parent.flow) return edit(doc, off[0], off[1], items.join(', '));
  const lineStart = doc.lines.lineStart(doc.lines.positionAt(off[0]).line);
  const prefix = doc.text.slice(lineStart, off[0]);
  if (!/^\s*-\s+$/.test(prefix)) return undefined;
  return edit(doc, off[0], off[1], items.join(`\n${prefix}`));
}

function replaceNodeFix(doc: ParsedDoc, path: Path, title: string, newText: (source: string) => string, isPreferred = true): Fix[] | undefined {
  const off = nodeOffsets(doc, path);
  if (!off) return undefined;
  return [{ title, isPreferred, edits: [edit(doc, off[0], off[1], newText(doc.text.slice(off[0], off[1])))] }];
}

// ---------------------------------------------------------------------------------------------
// Checks that several rules share.

/** Every `when` condition of every rule. */
function allConditions(ctx: RuleContext): ConditionAt[] {
  return allRules(ctx).flatMap(conditionsOf);
}

/** Conditions with a usable key and at least one value (those ValidateAttribute looks at). */
function validatedConditions(ctx: RuleContext): Array<ConditionAt & { key: string }> {
  return allConditions(ctx).filter(
    (c): c is ConditionAt & { key: string } => typeof c.key === 'string' && c.key !== '' && (hasItems(c.cond, 'values') || hasItems(c.cond, 'notValues')),
  );
}

/** Values of `when` conditions whose attribute checks values of `kind`. */
function conditionValuesOfKind(ctx: RuleContext, kind: ValueKind): Array<{ key: string; value: string; path: Path }> {
  const out: Array<{ key: string; value: string; path: Path }> = [];
  for (const c of validatedConditions(ctx)) {
    if (findAttribute(c.key)?.values !== kind) continue;
    for (const list of conditionLists(c)) for (const v of list.items) if (v.value !== '') out.push({ key: c.key, ...v });
  }
  return out;
}

/** Values of the given source or operation fields across all rules. */
function fieldValues(ctx: RuleContext, of: 'source' | 'operation', fields: readonly string[]): Array<{ field: string; value: string; path: Path }> {
  const out: Array<{ field: string; value: string; path: Path }> = [];
  for (const r of allRules(ctx)) {
    for (const s of of === 'source' ? sourcesOf(r) : operationsOf(r)) {
      for (const field of fields) for (const v of valuesAt(s.source, field, s.path)) out.push({ field, ...v });
    }
  }
  return out;
}

const DRY_RUN = 'istio.io/dry-run';
const PARSE_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

function dryRunOf(ctx: RuleContext): { value: unknown; path: Path } | undefined {
  const annotations = asObj(asObj(ctx.resource.object.metadata)?.annotations);
  if (!annotations || !(DRY_RUN in annotations)) return undefined;
  return { value: annotations[DRY_RUN], path: ['metadata', 'annotations', DRY_RUN] };
}

/** Every Istio kind whose webhook runs checkDryRunAnnotation with allowed=false. */
const OTHER_VALIDATED_KINDS = [
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'EnvoyFilter', 'WorkloadEntry', 'WorkloadGroup',
  'ProxyConfig', 'RequestAuthentication', 'PeerAuthentication', 'Telemetry', 'WasmPlugin', 'TrafficExtension',
];

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/** Whether a non-template path uses `*` somewhere Istio treats literally. */
function literalWildcard(value: string): boolean {
  const count = value.split('*').length - 1;
  if (count === 0 || value === '*') return false;
  return count > 1 || !(value.startsWith('*') || value.endsWith('*'));
}

/** security.go CheckValidPathTemplate for one path; undefined when valid. */
export function pathTemplateProblem(path: string): string | undefined {
  const hasTemplate = path.includes('{*}') || path.includes('{**}');
  let foundAny = false;
  for (const glob of path.replace(/^\/+|\/+$/g, '').split('/')) {
    const isTemplate = glob === '{*}' || glob === '{**}';
    if (isTemplate && foundAny) return `'${path}': {**} must be the last operator of a path template`;
    if (isTemplate) {
      foundAny = glob === '{**}';
      continue;
    }
    if (/[{}]/.test(glob)) {
      return `'${path}': '{' or '}' is only allowed in the path templates {*} (one segment) and {**} (any number of trailing segments), found segment '${glob}'`;
    }
    if (hasTemplate && !/^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/.test(glob)) {
      return `'${path}': with a path template, every other segment must be a plain literal (letters, digits, -._~%!$&'()+,;:@=), found '${glob}'`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Rules.

export const authorizationPolicyRules = defineRules([
  {
    code: 'authz-custom-needs-rules',
    severity: 'error',
    kinds: KIND,
    summary: 'action CUSTOM without rules is rejected: it would never be triggered.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      if (actionOf(ctx.resource.spec) !== 'CUSTOM' || hasItems(ctx.resource.spec, 'rules')) return;
      const e = addEmptyRuleEdit(ctx.doc);
      ctx.report({
        path: ['spec', 'action'],
        message: 'action CUSTOM needs rules: without rules the policy is never triggered. Add the empty rule `- {}` to send every request to the provider, or rules that select the requests to check.',
        fixes: e ? [{ title: 'Add the empty rule {} (check every request with the provider)', edits: [e] }] : undefined,
      });
    },
  },
  {
    code: 'authz-custom-needs-provider',
    severity: 'error',
    kinds: KIND,
    summary: 'action CUSTOM needs provider.name (an extensionProvider from the mesh config).',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      const spec = ctx.resource.spec;
      if (actionOf(spec) !== 'CUSTOM' || !hasItems(spec, 'rules')) return;
      const provider = asObj(spec.provider);
      if (provider && typeof provider.name === 'string' && provider.name !== '') return;
      const at: Report['path'] = provider && 'name' in provider ? ['spec', 'provider', 'name'] : isSet(spec, 'provider') ? ['spec', 'provider'] : ['spec', 'action'];
      ctx.report({
        path: at,
        target: at.length === 2 && at[1] === 'provider' ? 'key' : 'value',
        message: 'action CUSTOM needs `provider.name`: the name of an extensionProviders entry in the mesh config (e.g. provider: {name: my-ext-authz}).',
      });
    },
  },
  {
    code: 'authz-custom-unsupported-field',
    severity: 'error',
    kinds: KIND,
    summary: 'action CUSTOM does not support identity fields (principals, namespaces, service accounts, trust domains, request principals) nor source.*/request.auth.* conditions.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy (CUSTOM action checks)`,
    check(ctx) {
      if (actionOf(ctx.resource.spec) !== 'CUSTOM') return;
      for (const r of allRules(ctx)) {
        for (const s of sourcesOf(r)) {
          for (const field of CUSTOM_UNSUPPORTED_SOURCE) {
            if (!hasItems(s.source, field)) continue;
            ctx.report({
              path: [...s.path, field],
              target: 'key',
              message: `from.source.${field} is not supported with action CUSTOM; CUSTOM rules may use ipBlocks, remoteIpBlocks (and their not* forms), operations and other when keys. Check identities in the external authorizer or in a separate ALLOW/DENY policy.`,
            });
          }
        }
        for (const c of conditionsOf(r)) {
          if (typeof c.key !== 'string') continue;
          const banned = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(c.key) || c.key.startsWith('request.auth.');
          if (!banned) continue;
          ctx.report({
            path: [...c.path, 'key'],
            message: `when key '${c.key}' is not supported with action CUSTOM (no source.namespace, source.serviceAccount, source.trustDomain, source.principal or request.auth.* conditions); use it in an ALLOW or DENY policy instead.`,
          });
        }
      }
    },
  },
  {
    code: 'authz-provider-needs-custom',
    severity: 'error',
    kinds: KIND,
    summary: '`provider` is only allowed with action CUSTOM.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      const spec = ctx.resource.spec;
      const action = actionOf(spec);
      if (!isSet(spec, 'provider') || action === undefined || action === 'CUSTOM') return;
      ctx.report({
        path: ['spec', 'provider'],
        target: 'key',
        message: `\`provider\` must not be used with action ${action}${spec.action === undefined ? ' (the default)' : ''}: set action: CUSTOM to delegate to the provider, or remove provider.`,
      });
    },
  },
  {
    code: 'authz-deny-needs-rules',
    severity: 'error',
    kinds: KIND,
    summary: 'action DENY without rules is rejected: it would never be triggered.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      if (actionOf(ctx.resource.spec) !== 'DENY' || hasItems(ctx.resource.spec, 'rules')) return;
      const e = addEmptyRuleEdit(ctx.doc);
      ctx.report({
        path: ['spec', 'action'],
        message: 'action DENY needs rules: without rules the policy never denies anything. Add rules that select the requests to deny, or the empty rule `- {}` to deny every request to the selected workloads.',
        fixes: e ? [{ title: 'Add the empty rule {} (deny EVERY request)', edits: [e], isPreferred: false }] : undefined,
      });
    },
  },
  {
    code: 'authz-from-to-empty',
    severity: 'warning',
    kinds: KIND,
    summary: '`from: []` or `to: []` is read as if the field were absent, so the rule matches any source or operation.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy (an empty YAML list decodes to an unset field)`,
    check(ctx) {
      for (const r of allRules(ctx)) {
        for (const field of ['from', 'to'] as const) {
          if (!Array.isArray(r.rule[field]) || asList(r.rule[field]).length > 0) continue;
          ctx.report({
            path: [...r.path, field],
            message: `\`${field}: []\` is empty: Istio reads it as an unset field, so this rule matches ${field === 'from' ? 'any source' : 'any operation'}. Add ${field === 'from' ? '`- source: {...}`' : '`- operation: {...}`'} entries or remove the field.`,
          });
        }
      }
    },
  },
  {
    code: 'authz-source-or-operation-missing',
    severity: 'error',
    kinds: KIND,
    summary: 'A `from` entry without `source`, or a `to` entry without `operation`.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      for (const r of allRules(ctx)) {
        for (const [list, field] of [['from', 'source'], ['to', 'operation']] as const) {
          asList(r.rule[list]).forEach((entry, i) => {
            const o = asObj(entry);
            if (o && isSet(o, field)) return;
            const hasKeys = o !== undefined && Object.keys(o).length > 0;
            ctx.report({
              path: hasKeys && field in (o ?? {}) ? [...r.path, list, i, field] : [...r.path, list, i],
              target: hasKeys && field in (o ?? {}) ? 'key' : 'value',
              message: `rules[${r.path[2]}].${list}[${i}] must have \`${field}\` (e.g. ${list === 'from' ? '`- source: {principals: ["cluster.local/ns/default/sa/app"]}`' : '`- operation: {methods: ["GET"]}`'}).`,
            });
          });
        }
      }
    },
  },
  {
    code: 'authz-source-or-operation-empty',
    severity: 'error',
    kinds: KIND,
    summary: 'A `source` or `operation` with no field set.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      for (const r of allRules(ctx)) {
        for (const s of sourcesOf(r)) {
          if (SOURCE_FIELDS.some((f) => hasItems(s.source, f))) continue;
          ctx.report({ path: s.path, target: 'key', message: `\`source\` must not be empty: set at least one of ${SOURCE_FIELDS.join(', ')} (or remove this from entry).` });
        }
        for (const o of operationsOf(r)) {
          if (OPERATION_FIELDS.some((f) => hasItems(o.source, f))) continue;
          ctx.report({ path: o.path, target: 'key', message: `\`operation\` must not be empty: set at least one of ${OPERATION_FIELDS.join(', ')} (or remove this to entry).` });
        }
      }
    },
  },
  {
    code: 'authz-empty-value',
    severity: 'error',
    kinds: KIND,
    summary: 'An empty string in a source, operation or condition list.',
    source: `${SECURITY}: CheckEmptyValues, CheckServiceAccount, CheckWildcardValues`,
    check(ctx) {
      const empties = [
        ...fieldValues(ctx, 'source', SOURCE_FIELDS).map((v) => ({ ...v, where: `source.${v.field}` })),
        ...fieldValues(ctx, 'operation', OPERATION_FIELDS).map((v) => ({ ...v, where: `operation.${v.field}` })),
        ...validatedConditions(ctx).flatMap((c) => conditionLists(c).flatMap((l) => l.items.map((v) => ({ ...v, where: `when ${c.key} ${l.field}` })))),
      ].filter((v) => v.value === '');
      for (const v of empties) ctx.report({ path: v.path, message: `Empty value in ${v.where}: every entry must be a non-empty string; remove it or use "*" to match any non-empty value.` });
    },
  },
  {
    code: 'authz-service-account-invalid',
    severity: 'error',
    kinds: KIND,
    summary: "serviceAccounts / source.serviceAccount values must be 'name' or 'namespace/name', without wildcards.",
    source: `${SECURITY}: CheckServiceAccount`,
    check(ctx) {
      for (const v of fieldValues(ctx, 'source', ['serviceAccounts', 'notServiceAccounts'])) {
        const p = v.value === '' ? undefined : serviceAccountProblem(v.value, false);
        if (p) ctx.report({ path: v.path, message: `source.${v.field}: ${p}.` });
      }
      for (const c of validatedConditions(ctx)) {
        if (c.key !== 'source.serviceAccount') continue;
        for (const list of conditionLists(c)) {
          if (list.items.length > 16) ctx.report({ path: [...c.path, list.field], target: 'key', message: `when source.serviceAccount ${list.field} may not have more than 16 entries (found ${list.items.length}).` });
          for (const v of list.items) {
            const p = v.value === '' ? undefined : serviceAccountProblem(v.value, true);
            if (p) ctx.report({ path: v.path, message: `when source.serviceAccount: ${p}.` });
          }
        }
      }
    },
  },
  {
    code: 'authz-trust-domain-invalid',
    severity: 'error',
    kinds: KIND,
    summary: "Trust domain values: at most one '*', only at the start or end, and no '/'.",
    source: `${SECURITY}: CheckTrustDomainValues, CheckWildcardValues`,
    check(ctx) {
      for (const v of fieldValues(ctx, 'source', ['trustDomains', 'notTrustDomains'])) {
        const p = v.value === '' ? undefined : wildcardProblem(v.value, true);
        if (p) ctx.report({ path: v.path, message: `source.${v.field}: ${p}.` });
      }
      for (const v of conditionValuesOfKind(ctx, 'wildcard')) {
        const p = wildcardProblem(v.value, false);
        if (p) ctx.report({ path: v.path, message: `when ${v.key}: ${p}.` });
      }
    },
  },
  {
    code: 'authz-ip-invalid',
    severity: 'error',
    kinds: KIND,
    summary: 'ipBlocks / remoteIpBlocks and source.ip / remote.ip / destination.ip values must be IP addresses or CIDR ranges.',
    source: `${SECURITY}: ValidateIPs`,
    check(ctx) {
      const values = [
        ...fieldValues(ctx, 'source', IP_SOURCE_FIELDS).map((v) => ({ ...v, where: `source.${v.field}` })),
        ...conditionValuesOfKind(ctx, 'ip').map((v) => ({ ...v, where: `when ${v.key}` })),
      ];
      for (const v of values) {
        const p = v.value === '' ? undefined : ipOrCidrProblem(v.value);
        if (p) ctx.report({ path: v.path, message: `${v.where}: ${p}.` });
      }
    },
  },
  {
    code: 'authz-port-invalid',
    severity: 'error',
    kinds: KIND,
    summary: 'ports / notPorts and destination.port values must be single port numbers 0-65535 (no ranges, no names).',
    source: `${SECURITY}: ValidatePorts`,
    check(ctx) {
      const values = [
        ...fieldValues(ctx, 'operation', ['ports', 'notPorts']).map((v) => ({ ...v, where: `operation.${v.field}` })),
        ...conditionValuesOfKind(ctx, 'port').map((v) => ({ ...v, where: `when ${v.key}` })),
      ];
      for (const v of values) {
        if (v.value === '' || isPortString(v.value)) continue;
        const range = parsePortRange(v.value);
        const count = range ? range.to - range.from + 1 : 0;
        const ports = range && count <= 10 ? Array.from({ length: count }, (_, i) => String(range.from + i)) : undefined;
        const e = ports ? splitItemEdit(ctx.doc, v.path, ports) : undefined;
        ctx.report({
          path: v.path,
          message: range
            ? `${v.where}: '${v.value}' is a port range; Istio accepts only single port numbers. List each port separately.`
            : `${v.where}: '${v.value}' is not a port number; use a decimal port 0-65535 as a string (e.g. "8080").`,
          fixes: e ? [{ title: `Split into ports ${ports!.join(', ')}`, edits: [e], isPreferred: true }] : undefined,
        });
      }
    },
  },
  {
    code: 'authz-path-template-invalid',
    severity: 'error',
    kinds: KIND,
    summary: 'paths / notPaths: `{` `}` only in the templates {*} and {**}; {**} must be last; literal segments must be valid.',
    source: `${SECURITY}: CheckValidPathTemplate`,
    check(ctx) {
      for (const v of fieldValues(ctx, 'operation', ['paths', 'notPaths'])) {
        const p = pathTemplateProblem(v.value);
        if (!p) continue;
        const templated = v.value.replace(/\{[^{}/]*\}/g, (m) => (m === '{**}' ? m : '{*}'));
        const fixable = templated !== v.value && pathTemplateProblem(templated) === undefined;
        ctx.report({
          path: v.path,
          message: `operation.${v.field}: ${p}.`,
          fixes: fixable ? replaceNodeFix(ctx.doc, v.path, `Use {*} for a path parameter: ${templated}`, (src) => src.replace(v.value, templated), false) : undefined,
        });
      }
    },
  },
  {
    code: 'authz-path-wildcard',
    severity: 'warning',
    kinds: KIND,
    summary: "A path with '*' in the middle (or several '*'): Istio matches such a '*' literally; use {*} / {**} templates.",
    source: 'pilot/pkg/security/authz/matcher/string.go: StringMatcherWithPrefix (only a leading or trailing * is a wildcard)',
    check(ctx) {
      for (const v of fieldValues(ctx, 'operation', ['paths', 'notPaths'])) {
        if (v.value.includes('{') || !literalWildcard(v.value)) continue;
        const segments = v.value.split('/');
        const templated = segments.map((s) => (s === '*' ? '{*}' : s === '**' ? '{**}' : s)).join('/');
        const fixable = !templated.includes('*{') && !/[^{]\*|\*[^}]/.test(templated.replace(/\{\*\*?\}/g, '')) && pathTemplateProblem(templated) === undefined;
        ctx.report({
          path: v.path,
          message: `operation.${v.field}: '${v.value}' uses '*' where Istio matches it literally (only a single leading or trailing '*' is a wildcard). Use the path templates {*} (one segment) or {**} (the rest of the path), e.g. /api/{*}/users.`,
          fixes: fixable ? replaceNodeFix(ctx.doc, v.path, `Use path template ${templated}`, (src) => src.replace(v.value, templated)) : undefined,
        });
      }
    },
  },
  {
    code: 'authz-method-case',
    severity: 'warning',
    kinds: KIND,
    summary: 'An HTTP method in lower or mixed case never matches: methods are compared case-sensitively.',
    source: 'pilot/pkg/security/authz/model/generator.go (methods match the :method header exactly)',
    check(ctx) {
      for (const v of fieldValues(ctx, 'operation', ['methods', 'notMethods'])) {
        const upper = v.value.toUpperCase();
        if (upper === v.value || !HTTP_METHODS.includes(upper)) continue;
        ctx.report({
          path: v.path,
          message: `operation.${v.field}: '${v.value}' never matches; HTTP methods are case-sensitive, write '${upper}'.`,
          fixes: replaceNodeFix(ctx.doc, v.path, `Change to ${upper}`, (src) => src.replace(v.value, upper)),
        });
      }
    },
  },
  {
    code: 'authz-request-principal-format',
    severity: 'warning',
    kinds: KIND,
    summary: "requestPrincipals / request.auth.principal values are '<issuer>/<subject>'; a value without '/' or '*' never matches.",
    source: 'security.istio.io AuthorizationPolicy reference (Source.requestPrincipals); not checked by istiod',
    check(ctx) {
      const values = [
        ...fieldValues(ctx, 'source', ['requestPrincipals', 'notRequestPrincipals']).map((v) => ({ ...v, where: `source.${v.field}` })),
        ...validatedConditions(ctx)
          .filter((c) => c.key === 'request.auth.principal')
          .flatMap((c) => conditionLists(c).flatMap((l) => l.items.map((v) => ({ ...v, where: `when request.auth.principal` })))),
      ];
      for (const v of values) {
        if (v.value === '' || v.value.includes('/') || v.value.includes('*')) continue;
        ctx.report({
          path: v.path,
          message: `${v.where}: '${v.value}' has no '/': a request principal is '<iss>/<sub>' (the JWT's issuer and subject, e.g. "https://accounts.google.com/1234567890"), so this never matches. Use "<issuer>/${v.value}" or "<issuer>/*".`,
        });
      }
    },
  },
  {
    code: 'authz-condition-key-empty',
    severity: 'error',
    kinds: KIND,
    summary: 'A `when` condition with an empty key.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      for (const c of allConditions(ctx)) {
        if (c.key === '') ctx.report({ path: [...c.path, 'key'], message: `\`key\` must not be empty; use one of ${WHEN_KEYS_TEXT}.` });
      }
    },
  },
  {
    code: 'authz-condition-values-missing',
    severity: 'error',
    kinds: KIND,
    summary: 'A `when` condition needs `values` or `notValues`.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy`,
    check(ctx) {
      for (const c of allConditions(ctx)) {
        if (typeof c.key !== 'string' || c.key === '' || hasItems(c.cond, 'values') || hasItems(c.cond, 'notValues')) continue;
        ctx.report({ path: [...c.path, 'key'], target: 'key', message: `when '${c.key}': at least one of \`values\` or \`notValues\` must be set (and non-empty).` });
      }
    },
  },
  {
    code: 'authz-condition-key-unknown',
    severity: 'error',
    kinds: KIND,
    summary: 'A `when` key that is not an Istio attribute.',
    source: `${SECURITY}: ValidateAttribute`,
    check(ctx) {
      for (const c of validatedConditions(ctx)) {
        if (findAttribute(c.key) || REMOVED_ATTRIBUTES.some((r) => (r.prefix ? c.key.startsWith(r.key) : c.key === r.key))) continue;
        const suggestion = suggestKey(c.key);
        ctx.report({
          path: [...c.path, 'key'],
          message: `Unknown when key '${c.key}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Valid keys: ${WHEN_KEYS_TEXT}.`,
          fixes: suggestion ? replaceNodeFix(ctx.doc, [...c.path, 'key'], `Change to ${suggestion}`, (src) => src.replace(c.key, suggestion)) : undefined,
        });
      }
    },
  },
  {
    code: 'authz-condition-key-removed',
    severity: 'error',
    kinds: KIND,
    summary: 'A `when` key Istio removed (destination.namespace, destination.labels[...], destination.name, destination.user).',
    source: `${SECURITY}: ValidateAttribute`,
    check(ctx) {
      for (const c of validatedConditions(ctx)) {
        if (findAttribute(c.key)) continue;
        const removed = REMOVED_ATTRIBUTES.find((r) => (r.prefix ? c.key.startsWith(r.key) : c.key === r.key));
        if (!removed) continue;
        ctx.report({ path: [...c.path, 'key'], message: `when key '${c.key}' is no longer supported: ${removed.why}.`, tags: ['deprecated'] });
      }
    },
  },
  {
    code: 'authz-condition-key-format',
    severity: 'error',
    kinds: KIND,
    summary: 'request.headers, request.auth.claims and experimental.envoy.filters.* keys need the form name[inner].',
    source: `${SECURITY}: ValidateAttribute (validateMapKey)`,
    check(ctx) {
      for (const c of validatedConditions(ctx)) {
        const attr = findAttribute(c.key);
        if (!attr?.map || isMapKey(c.key)) continue;
        ctx.report({ path: [...c.path, 'key'], message: `when key '${c.key}' must have the form a[b] with a non-empty name in brackets, e.g. ${attr.example}.` });
      }
    },
  },
  {
    code: 'authz-deny-http-only',
    severity: 'warning',
    kinds: KIND,
    summary: 'A DENY rule that uses only HTTP attributes denies all TCP traffic under its scope; istiod warns.',
    source: `${VALIDATION}: ValidateAuthorizationPolicy (warning)`,
    check(ctx) {
      if (actionOf(ctx.resource.spec) !== 'DENY') return;
      for (const r of allRules(ctx)) {
        const sources = sourcesOf(r);
        const ops = operationsOf(r);
        const tcpInFrom = sources.some((s) => TCP_SOURCE_FIELDS.some((f) => hasItems(s.source, f)));
        const tcpInTo = ops.some((o) => hasItems(o.source, 'ports') || hasItems(o.source, 'notPorts'));
        const toOnlyHttp = ops.length > 0 && !tcpInTo;
        const fromOnlyHttp = sources.length > 0 && ops.length === 0 && !tcpInFrom;
        if (!toOnlyHttp && !fromOnlyHttp) continue;
        ctx.report({
          path: [...r.path, toOnlyHttp ? 'to' : 'from'],
          target: 'key',
          message: `This DENY rule uses only HTTP attributes (${toOnlyHttp ? 'methods, paths or hosts' : 'request principals'}), so on TCP ports under its scope it denies ALL traffic. Add \`ports\` to the operation to limit it to the HTTP ports.`,
        });
      }
    },
  },
  {
    code: 'authz-dry-run-not-string',
    severity: 'error',
    kinds: KIND,
    summary: 'The istio.io/dry-run annotation value is not a string (annotation values must be quoted).',
    source: 'Kubernetes ObjectMeta.annotations (map of strings)',
    check(ctx) {
      const d = dryRunOf(ctx);
      if (!d || typeof d.value === 'string') return;
      ctx.report({
        path: d.path,
        message: `Annotation ${DRY_RUN} must be a string: Kubernetes rejects a ${d.value === null ? 'null' : typeof d.value} annotation value. Quote it: "${String(d.value)}".`,
        fixes: d.value === null ? undefined : replaceNodeFix(ctx.doc, d.path, `Quote the value ("${String(d.value)}")`, (src) => `"${src}"`),
      });
    },
  },
  {
    code: 'authz-dry-run-invalid',
    severity: 'error',
    kinds: KIND,
    summary: 'istio.io/dry-run must be a boolean string and is only supported with action ALLOW or DENY.',
    source: `${VALIDATION}: checkDryRunAnnotation`,
    check(ctx) {
      const d = dryRunOf(ctx);
      if (!d || typeof d.value !== 'string') return;
      const action = actionOf(ctx.resource.spec);
      if (action === 'AUDIT' || action === 'CUSTOM') {
        ctx.report({ path: d.path, target: 'key', message: `Annotation ${DRY_RUN} is only supported with action ALLOW or DENY, not ${action}; remove the annotation.` });
      } else if (!PARSE_BOOL.has(d.value)) {
        const lower = d.value.trim().toLowerCase();
        const fixed = lower === 'true' || lower === 'yes' || lower === 'on' ? 'true' : lower === 'false' || lower === 'no' || lower === 'off' ? 'false' : undefined;
        ctx.report({
          path: d.path,
          message: `Annotation ${DRY_RUN} has the invalid value '${d.value}'; use "true" or "false".`,
          fixes: fixed ? replaceNodeFix(ctx.doc, d.path, `Change to "${fixed}"`, () => `"${fixed}"`) : undefined,
        });
      }
    },
  },
  {
    code: 'authz-dry-run-unsupported-kind',
    severity: 'error',
    kinds: OTHER_VALIDATED_KINDS,
    summary: 'The istio.io/dry-run annotation is only supported on AuthorizationPolicy; the webhook rejects it elsewhere.',
    source: `${VALIDATION}: validateMetadata, checkDryRunAnnotation`,
    check(ctx) {
      const d = dryRunOf(ctx);
      if (!d) return;
      ctx.report({ path: d.path, target: 'key', message: `${ctx.resource.kind} does not support the annotation ${DRY_RUN} (only AuthorizationPolicy does); remove it.` });
    },
  },
  {
    code: 'authz-negative-condition',
    severity: 'warning',
    kinds: KIND,
    summary: 'The status has a negative ZtunnelAccepted / WaypointAccepted condition (IST0171).',
    source: 'pkg/config/analysis/analyzers/conditions/conditions.go (NegativeConditionStatus, IST0171)',
    check(ctx) {
      const conditions = objItems(asObj(ctx.resource.object.status)?.conditions);
      for (const { item, index } of conditions) {
        const negative =
          ((item.type === 'ZtunnelAccepted' || item.type === 'WaypointAccepted') && item.status === 'False') ||
          (item.type === 'WaypointAccepted' && item.reason === 'PartiallyInvalid');
        if (!negative) continue;
        ctx.report({
          path: ['status', 'conditions', index, 'type'],
          istioCode: 'IST0171',
          message: `A condition with a negative status is present: type=${String(item.type)}, reason=${String(item.reason ?? '')}, message=${String(item.message ?? '')}.`,
        });
      }
    },
  },
]);

/** A close known key for a typo (one candidate only), or undefined. */
function suggestKey(key: string): string | undefined {
  const bracket = key.indexOf('[');
  const head = bracket === -1 ? key : key.slice(0, bracket);
  const tail = bracket === -1 ? '' : key.slice(bracket);
  const renamed = RENAMED_HINTS[head];
  if (renamed) return renamed + tail;
  const candidates = ATTRIBUTES.filter((a) => !a.key.endsWith('.') && editDistance(head.toLowerCase(), a.key.toLowerCase()) <= 2);
  if (candidates.length !== 1) return undefined;
  const a = candidates[0];
  if (a.map && !tail) return undefined;
  return a.key + (a.map ? tail : '');
}


