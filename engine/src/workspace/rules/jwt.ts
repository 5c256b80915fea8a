import type { CrossRule } from '../crossCheck';
import type { IndexedResource } from '../index';
import type { IndexView } from '../incremental';
import { principalMatcher } from '../../rules/common/principals';
import { boundGateways, labelList, objectsAt, stringsAt, stringValues, type Obj } from '../refs';

/** RequestAuthentications whose rules reach workloads in `namespace` (same namespace or the root namespace). */
export function requestAuthsInScope(index: Pick<IndexView, 'inScope'>, namespace: string, rootNamespace: string): IndexedResource[] {
  return index.inScope('RequestAuthentication', namespace, rootNamespace);
}

/** Derived data of a resource, computed once per resource object (its data never changes). */
function memo<T>(compute: (r: IndexedResource) => T): (r: IndexedResource) => T {
  const cache = new WeakMap<IndexedResource, T>();
  return (r) => {
    let v = cache.get(r);
    if (v === undefined) {
      v = compute(r);
      cache.set(r, v);
    }
    return v;
  };
}

export const issuersOf = memo((ra: IndexedResource): string[] => objectsAt(ra.resource.spec.jwtRules).flatMap((r) => (typeof r.issuer === 'string' ? [r.issuer] : [])));

/** Could a request principal pattern match a token of issuer `iss`? (istiod matches the issuer part on its own.) */
export function principalMatchesIssuer(pattern: string, iss: string): boolean {
  return principalMatcher(pattern).iss(iss);
}

function slashHint(pattern: string, issuers: string[]): string {
  for (const iss of issuers) {
    const alt = iss.endsWith('/') ? iss.slice(0, -1) : `${iss}/`;
    if (principalMatchesIssuer(pattern, alt)) {
      return ` The issuer '${iss}' differs only by a trailing slash: a principal is '<iss>/<sub>', so with issuer '${iss}' write '${iss}/*' (istiod splits the value at its last '/' and compares the issuer exactly).`;
    }
  }
  return '';
}

function requestPrincipalPlaces(ap: IndexedResource): Array<{ path: Array<string | number>; value: string }> {
  const out: Array<{ path: Array<string | number>; value: string }> = [];
  objectsAt(ap.resource.spec.rules).forEach((rule, r) => {
    objectsAt(rule.from).forEach((from, f) => {
      const source = (from.source ?? {}) as Obj;
      stringsAt(source.requestPrincipals).forEach((value, i) => out.push({ path: ['spec', 'rules', r, 'from', f, 'source', 'requestPrincipals', i], value }));
    });
    objectsAt(rule.when).forEach((cond, w) => {
      if (cond.key !== 'request.auth.principal') return;
      stringsAt(cond.values).forEach((value, i) => out.push({ path: ['spec', 'rules', r, 'when', w, 'values', i], value }));
    });
  });
  return out;
}

export const issuerNotAccepted: CrossRule = {
  code: 'xref-issuer-not-accepted',
  severity: 'warning',
  summary: 'An AuthorizationPolicy requires request principals of an issuer that no RequestAuthentication in scope accepts: the rule can never match.',
  source: 'Istio security model: request principals come only from JWTs validated by a RequestAuthentication',
  subjects: ['AuthorizationPolicy'],
  check(ap, { index, settings, report }) {
    const places = requestPrincipalPlaces(ap);
    if (places.length === 0) return;
    const anyRequestAuth = index.exists('RequestAuthentication');
    const ras = requestAuthsInScope(index, ap.namespace, settings.rootNamespace);
    const issuers = ras.flatMap(issuersOf);
    for (const place of places) {
      if (issuers.some((iss) => principalMatchesIssuer(place.value, iss))) continue;
      const where = `${ap.namespace}${ap.namespace === settings.rootNamespace ? '' : ` or ${settings.rootNamespace}`}`;
      const known = issuers.length ? ` Issuers accepted there: ${issuers.map((i) => `'${i}'`).join(', ')}.` : '';
      report({
        path: place.path,
        severity: anyRequestAuth ? 'warning' : 'information',
        message: `'${place.value}' can never match: no RequestAuthentication in ${where} in the workspace accepts its issuer, so no request carries this principal.${known}${slashHint(place.value, issuers)}`,
        related: ras.map((ra) => ({ at: ra, path: ['spec', 'jwtRules'], target: 'key' as const, message: `RequestAuthentication ${ra.namespace}/${ra.resource.name}` })),
      });
    }
  },
};

const requiresToken = memo((ap: IndexedResource): boolean =>
  objectsAt(ap.resource.spec.rules).some(
    (rule) =>
      objectsAt(rule.from).some((f) => {
        const s = (f.source ?? {}) as Obj;
        return stringsAt(s.requestPrincipals).length > 0 || stringsAt(s.notRequestPrincipals).length > 0;
      }) || objectsAt(rule.when).some((c) => typeof c.key === 'string' && c.key.startsWith('request.auth.')),
  ),
);

function selectorYaml(ra: IndexedResource): string {
  const entries = Object.entries(matchLabels(ra));
  if (entries.length === 0) return '';
  return `  selector:\n    matchLabels:\n${entries.map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`).join('\n')}\n`;
}

export const requestAuthWithoutPolicy: CrossRule = {
  code: 'xref-reqauth-without-policy',
  severity: 'information',
  summary: 'A RequestAuthentication with no AuthorizationPolicy requiring a token: requests without a token are still allowed.',
  source: 'Istio docs: RequestAuthentication only rejects invalid tokens; use an AuthorizationPolicy to require one',
  subjects: ['RequestAuthentication'],
  check(ra, { index, settings, report }) {
    const covered = index.inScope('AuthorizationPolicy', ra.namespace, settings.rootNamespace).some(requiresToken);
    if (covered) return;
    const name = `${ra.resource.name ?? 'jwt'}-require-jwt`;
    report({
      path: ['kind'],
      message: `RequestAuthentication ${ra.namespace}/${ra.resource.name}: requests without a token are still allowed (it only rejects invalid tokens). Add an AuthorizationPolicy with requestPrincipals: ["*"] to require one.`,
      fixes: (doc) => {
        const end = doc.lines.positionAt(doc.text.length);
        const sep = doc.text.endsWith('\n') ? '' : '\n';
        const text = `${sep}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ra.namespace}\nspec:\n${selectorYaml(ra)}  action: ALLOW\n  rules:\n  - from:\n    - source:\n        requestPrincipals: ["*"]\n`;
        return [{ title: `Add AuthorizationPolicy ${name} requiring a valid JWT`, edits: [{ range: { start: end, end }, newText: text }] }];
      },
    });
  },
};

/** matchLabels of a policy's selector (empty: every workload of its namespace). */
function matchLabels(r: IndexedResource): Record<string, string> {
  return stringValues((r.resource.spec.selector as Obj | undefined)?.matchLabels);
}

/** Could a policy with selector `a` and one with selector `b` select a common workload? */
function selectorsOverlap(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v);
}

/** Do labels `selector` select pods carrying `podLabels`? */
function selects(selector: Record<string, string>, podLabels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

export const claimRoutingWithoutRequestAuth: CrossRule = {
  code: 'xref-claim-routing-without-reqauth',
  severity: 'warning',
  summary: 'A VirtualService routes on JWT claims at a Gateway whose pods no RequestAuthentication covers: the claims are never available and the route never matches.',
  source: 'istioctl analyze: virtualservice/jwtclaimroute.go (IST0149 JwtClaimBasedRoutingWithoutRequestAuthN)',
  subjects: ['VirtualService'],
  check(vs, { index, settings, report }) {
    const claimKeys: Array<{ path: Array<string | number>; key: string }> = [];
    objectsAt(vs.resource.spec.http).forEach((route, r) =>
      objectsAt(route.match).forEach((m, i) => {
        for (const key of Object.keys((m.headers ?? {}) as Obj)) if (key.startsWith('@request.auth.claims')) claimKeys.push({ path: ['spec', 'http', r, 'match', i, 'headers', key], key });
      }),
    );
    if (claimKeys.length === 0) return;
    for (const { gw } of boundGateways(index, vs)) {
      if (!gw) continue;
      const podLabels = stringValues(gw.resource.spec.selector);
      const covered = requestAuthsInScope(index, gw.namespace, settings.rootNamespace).some((ra) => selects(matchLabels(ra), podLabels));
      if (covered) continue;
      for (const c of claimKeys) {
        report({
          path: c.path,
          target: 'key',
          message: `Routing on '${c.key}' at Gateway ${gw.namespace}/${gw.resource.name}, but no RequestAuthentication in ${gw.namespace} or ${settings.rootNamespace} selects its pods (${labelList(podLabels).join(', ') || 'no selector'}): the claim is never validated, so this match never applies. Add a RequestAuthentication selecting the gateway pods.`,
          istioCode: 'IST0149',
          related: [{ at: gw, path: ['spec', 'selector'], target: 'key', message: `Gateway ${gw.namespace}/${gw.resource.name}` }],
        });
      }
    }
  },
};

const INGRESS_LABELS: ReadonlyArray<[string, string]> = [
  ['istio', 'ingressgateway'],
  ['app', 'istio-ingressgateway'],
];

export const ingressPolicyNamespace: CrossRule = {
  code: 'xref-ingress-policy-namespace',
  severity: 'warning',
  summary: 'A RequestAuthentication or AuthorizationPolicy selects the ingress gateway pods but lives in another namespace than the root namespace, where they run by default: it applies to nothing.',
  source: 'Istio security docs: policies apply to workloads of their own namespace (root namespace: mesh-wide)',
  subjects: ['RequestAuthentication', 'AuthorizationPolicy'],
  check(p, { settings, report }) {
    if (p.namespace === settings.rootNamespace) return;
    const labels = matchLabels(p);
    const ingress = INGRESS_LABELS.find(([k, v]) => labels[k] === v);
    if (!ingress) return;
    report({
      path: ['spec', 'selector', 'matchLabels', ingress[0]],
      message: `${p.resource.kind} ${p.namespace}/${p.resource.name} selects ${ingress[0]}=${ingress[1]}, the ingress gateway, but a policy applies only to pods of its own namespace (${p.namespace}); the ingress gateway runs in ${settings.rootNamespace} by default. Move it to the gateway's namespace.`,
    });
  },
};

export const selectorMismatch: CrossRule = {
  code: 'xref-reqauth-policy-selector-mismatch',
  severity: 'warning',
  summary: 'An AuthorizationPolicy requires tokens from workloads that no RequestAuthentication of its namespace selects: every request is denied (403).',
  source: 'Istio security model: request principals come only from a RequestAuthentication applied to the same workload',
  subjects: ['AuthorizationPolicy'],
  check(ap, { index, settings, report }) {
    if (!requiresToken(ap)) return;
    const ras = requestAuthsInScope(index, ap.namespace, settings.rootNamespace);
    if (ras.length === 0) return; // issuerNotAccepted says it
    const apLabels = matchLabels(ap);
    if (ras.some((ra) => selectorsOverlap(matchLabels(ra), apLabels))) return;
    report({
      path: Object.keys(apLabels).length ? ['spec', 'selector'] : ['kind'],
      target: Object.keys(apLabels).length ? 'key' : 'value',
      message: `This policy requires a token from workloads ${labelList(apLabels).join(', ') || 'of the whole namespace'}, but the RequestAuthentications in scope select other workloads (${ras.map((ra) => `${ra.namespace}/${ra.resource.name}: ${labelList(matchLabels(ra)).join(', ')}`).join('; ')}): no token is validated there, so requests are denied.`,
      related: ras.map((ra) => ({ at: ra, path: ['spec', 'selector'], target: 'key' as const, message: `RequestAuthentication ${ra.namespace}/${ra.resource.name}` })),
    });
  },
};
