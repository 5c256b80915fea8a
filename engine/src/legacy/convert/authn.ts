/**
 * authentication.istio.io/v1alpha1 Policy and MeshPolicy (removed in Istio 1.6) →
 * PeerAuthentication (peers), RequestAuthentication (origins) and a DENY AuthorizationPolicy
 * that requires a token when origins were not optional (honouring triggerRules).
 */
import type { Path } from '../../model/locate';
import { field, isTrue, keyOf, recordField } from './fields';
import { announceGuess, guessSelector, type GuessedSelector } from './selector';
import {
  asArray,
  asRecord,
  asString,
  compact,
  dnsName,
  k8sObject,
  stringList,
  type Conversion,
  type ConvertContext,
  type GeneratedDoc,
  type KeyComment,
  type LegacyDoc,
} from './types';

/** Where converted resources apply: the whole namespace, or one target service (and its ports). */
interface Scope {
  name: string;
  selector?: Record<string, string>;
  ports: string[];
  comments: KeyComment[];
}

type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

const SPEC = ['spec'] as const;

function scopesOf(src: LegacyDoc, baseName: string, ctx: ConvertContext): Scope[] {
  const targetsKey = keyOf(src.spec, 'targets');
  const targets = asArray(src.spec[targetsKey]);
  if (targets.length === 0) return [{ name: baseName, ports: [], comments: [] }];
  const scopes: Scope[] = [];
  targets.forEach((raw, i) => {
    const t = asRecord(raw) ?? {};
    const at: Path = [...SPEC, targetsKey, i];
    const labels = recordField(t, 'labels');
    const name = asString(t.name) ?? '';
    const comments: KeyComment[] = [];
    let selector: Record<string, string> | undefined;
    if (labels && Object.keys(labels).length > 0) {
      selector = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, asString(v) ?? '']));
    } else {
      const g: GuessedSelector | undefined = guessSelector(name);
      if (!g) {
        ctx.note(src.doc, at, 'migrate-unconvertible', 'warning', `targets[${i}]: a target needs a service name (got "${name}"); it was skipped.`);
        return;
      }
      selector = g.labels;
      announceGuess(ctx, src.doc, [...at, 'name'], g, comments);
    }
    const ports: string[] = [];
    asArray(t.ports).forEach((p, j) => {
      const port = asRecord(p) ?? {};
      const num = asString(port.number);
      if (num !== undefined) {
        ports.push(num);
        ctx.note(src.doc, [...at, 'ports', j, 'number'], 'migrate-service-port', 'information', `targets[${i}].ports: ${num} was a Service port; PeerAuthentication portLevelMtls and AuthorizationPolicy ports match the workload (container) port: confirm it is the same number.`);
      } else {
        ctx.note(src.doc, [...at, 'ports', j], 'migrate-unconvertible', 'warning', `targets[${i}].ports: a port selected by name (${asString(port.name) ?? '?'}) cannot be expressed today; the converted resources apply to every port.`);
      }
    });
    scopes.push({ name: targets.length > 1 ? dnsName(baseName, name || String(i)) : baseName, selector, ports, comments });
  });
  return scopes;
}

/** The mTLS mode of `peers` (undefined when there are none). */
function peerMode(src: LegacyDoc, ctx: ConvertContext): MtlsMode | undefined {
  const peersKey = keyOf(src.spec, 'peers');
  const peers = asArray(src.spec[peersKey]);
  if (peers.length === 0) return undefined;
  const index = peers.findIndex((p) => asRecord(p) && 'mtls' in (p as object));
  if (index === -1) {
    ctx.note(src.doc, [...SPEC, peersKey], 'migrate-unconvertible', 'warning', 'peers: only mtls peer authentication exists today (peer JWT was never implemented); STRICT mutual TLS was assumed.');
    return 'STRICT';
  }
  const mtls = recordField(asRecord(peers[index]), 'mtls');
  let mode: MtlsMode = asString(mtls?.mode) === 'PERMISSIVE' ? 'PERMISSIVE' : 'STRICT';
  if (isTrue(field(mtls, 'allowTls'))) {
    mode = 'PERMISSIVE';
    ctx.note(src.doc, [...SPEC, peersKey, index, 'mtls'], 'migrate-unconvertible', 'warning', 'peers[].mtls.allowTls (TLS without a client certificate) has no equivalent; PERMISSIVE was used.');
  }
  if (isTrue(field(src.spec, 'peerIsOptional'))) {
    mode = 'PERMISSIVE';
    ctx.note(src.doc, [...SPEC, keyOf(src.spec, 'peerIsOptional')], 'migrate-peer-optional', 'information', 'peerIsOptional: true accepted requests without mutual TLS: converted to mtls.mode PERMISSIVE.');
  }
  return mode;
}

function peerAuthentication(scope: Scope, namespace: string | undefined, mode: MtlsMode): GeneratedDoc {
  const portLevel = scope.selector && scope.ports.length > 0;
  const spec = compact({
    selector: scope.selector ? { matchLabels: scope.selector } : undefined,
    mtls: portLevel ? undefined : { mode },
    portLevelMtls: portLevel ? Object.fromEntries(scope.ports.map((p) => [p, { mode }])) : undefined,
  });
  return { object: k8sObject('PeerAuthentication', scope.name, namespace, spec), header: [], comments: [...scope.comments] };
}

/** A StringMatch (exact/prefix/suffix/regex) as an AuthorizationPolicy path, or undefined for regex. */
function pathOf(m: unknown): string | undefined {
  const r = asRecord(m) ?? {};
  if (typeof r.exact === 'string') return r.exact;
  if (typeof r.prefix === 'string') return `${r.prefix}*`;
  if (typeof r.suffix === 'string') return `*${r.suffix}`;
  return undefined;
}

interface Trigger {
  paths: string[];
  notPaths: string[];
}

/** Trigger rules of one origin (undefined: the origin always triggers). */
function triggersOf(jwt: Record<string, unknown>, at: Path, src: LegacyDoc, ctx: ConvertContext): Trigger[] | undefined {
  const rulesKey = keyOf(jwt, 'triggerRules');
  const rules = asArray(jwt[rulesKey]);
  if (rules.length === 0) return undefined;
  return rules.map((raw, j) => {
    const rule = asRecord(raw) ?? {};
    const exKey = keyOf(rule, 'excludedPaths');
    const inKey = keyOf(rule, 'includedPaths');
    const notPaths: string[] = [];
    asArray(rule[exKey]).forEach((m, k) => {
      const p = pathOf(m);
      if (p !== undefined) notPaths.push(p);
      else ctx.note(src.doc, [...at, rulesKey, j, exKey, k, 'regex'], 'migrate-regex-path', 'warning', 'excludedPaths: a regex cannot be expressed in AuthorizationPolicy paths; those paths now require a token too (stricter). Add them to notPaths by hand.');
    });
    const included = asArray(rule[inKey]).map(pathOf);
    let paths = included.filter((p): p is string => p !== undefined);
    const regexAt = included.indexOf(undefined);
    if (regexAt !== -1) {
      paths = [];
      ctx.note(src.doc, [...at, rulesKey, j, inKey, regexAt, 'regex'], 'migrate-regex-path', 'warning', 'includedPaths: a regex cannot be expressed in AuthorizationPolicy paths; a token is now required on every path not excluded (stricter).');
    }
    return { paths, notPaths };
  });
}

function jwtRuleOf(jwt: Record<string, unknown>): Record<string, unknown> {
  return compact({
    issuer: asString(jwt.issuer),
    audiences: stringList(jwt.audiences),
    jwksUri: asString(field(jwt, 'jwksUri')),
    jwks: asString(jwt.jwks),
    fromHeaders: stringList(field(jwt, 'jwtHeaders')).map((name) => ({ name })),
    fromParams: stringList(field(jwt, 'jwtParams')),
  });
}

interface Origins {
  jwtRules: Record<string, unknown>[];
  /** Triggers of the whole origin list; undefined when some origin always triggers. */
  triggers: Trigger[] | undefined;
}

function originsOf(src: LegacyDoc, ctx: ConvertContext): Origins {
  const originsKey = keyOf(src.spec, 'origins');
  const jwtRules: Record<string, unknown>[] = [];
  let triggers: Trigger[] | undefined = [];
  asArray(src.spec[originsKey]).forEach((raw, i) => {
    const jwt = recordField(asRecord(raw), 'jwt');
    if (!jwt || typeof jwt.issuer !== 'string') {
      ctx.note(src.doc, [...SPEC, originsKey, i], 'migrate-unconvertible', 'warning', `origins[${i}]: a JWT origin needs an issuer; it was skipped.`);
      return;
    }
    jwtRules.push(jwtRuleOf(jwt));
    const t = triggersOf(jwt, [...SPEC, originsKey, i, 'jwt'], src, ctx);
    triggers = t === undefined || triggers === undefined ? undefined : [...triggers, ...t];
  });
  return { jwtRules, triggers };
}

const REQUIRE_JWT_HEADER = [
  ' Requires a JWT, as the removed Policy did (its origins were not optional): RequestAuthentication',
  ' alone only rejects invalid tokens, so this DENY policy rejects requests without one (403 now, 401 before).',
  ' DENY rather than ALLOW: an ALLOW policy would be OR-ed with the other ALLOW policies of the workload',
  ' and open it to any token holder; a DENY policy adds the token requirement and changes nothing else.',
  ' JWTs are HTTP-only: on TCP ports this rule denies everything; add to.operation.ports if the workload serves TCP.',
];

const TRIGGER_HEADER = [
  ' triggerRules: excludedPaths became notPaths and includedPaths became paths of the DENY rules (one rule',
  ' per trigger rule), so untriggered paths stay open without a token. A token that is present is still',
  ' validated on every path (the old Policy skipped validation there).',
];

function requireJwt(scope: Scope, namespace: string | undefined, triggers: Trigger[] | undefined): GeneratedDoc {
  const from = [{ source: { notRequestPrincipals: ['*'] } }];
  const ports = scope.ports;
  const ops = (triggers ?? [{ paths: [], notPaths: [] }]).map((t) => compact({ paths: t.paths, notPaths: t.notPaths, ports }));
  const rules = ops.map((op) => compact({ from, to: Object.keys(op).length > 0 ? [{ operation: op }] : undefined }));
  const spec = compact({ selector: scope.selector ? { matchLabels: scope.selector } : undefined, action: 'DENY', rules });
  return {
    object: k8sObject('AuthorizationPolicy', dnsName(scope.name, 'require-jwt'), namespace, spec),
    header: triggers ? [...REQUIRE_JWT_HEADER, ...TRIGGER_HEADER] : REQUIRE_JWT_HEADER,
    comments: [...scope.comments],
  };
}

const NO_PEERS_HEADER = [
  ' The removed Policy had no peers: in Istio 1.4 that turned mutual TLS off for its targets. Today the',
  ' workloads keep the namespace or mesh PeerAuthentication mode; add a PeerAuthentication with',
  ' mtls.mode DISABLE only if they must accept plaintext.',
];

export function convertAuthnPolicy(src: LegacyDoc, ctx: ConvertContext): Conversion | undefined {
  const mesh = src.kind === 'MeshPolicy';
  const namespace = mesh ? ctx.rootNamespace : src.namespace;
  const baseName = mesh ? 'default' : src.name;
  const mode = peerMode(src, ctx);
  const origins = originsOf(src, ctx);
  const originOptional = isTrue(field(src.spec, 'originIsOptional'));
  const useOrigin = asString(field(src.spec, 'principalBinding')) === 'USE_ORIGIN';
  if (useOrigin) {
    ctx.note(src.doc, [...SPEC, keyOf(src.spec, 'principalBinding')], 'migrate-principal-binding', 'information', 'principalBinding: USE_ORIGIN has no field today: AuthorizationPolicy matches JWT identities with requestPrincipals and peer identities with principals (ServiceRoleBinding users of this namespace are converted to requestPrincipals).');
  }
  const docs: GeneratedDoc[] = [];
  const scopes = scopesOf(src, baseName, ctx);
  if (scopes.length === 0) return undefined;
  for (const scope of scopes) {
    const scopeDocs: GeneratedDoc[] = [];
    if (mode) scopeDocs.push(peerAuthentication(scope, namespace, mode));
    else if (asArray(field(src.spec, 'origins')).length === 0) {
      const disable = peerAuthentication(scope, namespace, 'DISABLE');
      disable.header.push(' The removed Policy had neither peers nor origins: it turned mutual TLS off for its targets.');
      scopeDocs.push(disable);
    }
    if (origins.jwtRules.length > 0) {
      const spec = compact({ selector: scope.selector ? { matchLabels: scope.selector } : undefined, jwtRules: origins.jwtRules });
      const reqAuth: GeneratedDoc = { object: k8sObject('RequestAuthentication', scope.name, namespace, spec), header: [], comments: [...scope.comments] };
      if (!mode) reqAuth.header.push(...NO_PEERS_HEADER);
      if (useOrigin) reqAuth.header.push(' principalBinding USE_ORIGIN: match the JWT identity (<iss>/<sub>) with requestPrincipals in AuthorizationPolicy.');
      if (originOptional) reqAuth.header.push(' originIsOptional: true: requests without a token are accepted, so no policy requires one.');
      scopeDocs.push(reqAuth);
      if (!originOptional) scopeDocs.push(requireJwt(scope, namespace, origins.triggers));
    }
    docs.push(...scopeDocs);
  }
  if (!mode && origins.jwtRules.length > 0) {
    ctx.note(src.doc, [...SPEC], 'migrate-peers-absent', 'information', 'The Policy has no peers: it turned mutual TLS off for its targets in Istio 1.4; the converted workloads keep the namespace or mesh mTLS mode instead.');
  }
  return { docs, explanation: [] };
}
