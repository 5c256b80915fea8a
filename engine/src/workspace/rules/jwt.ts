import type { CrossRule } from '../crossCheck';
import type { IndexedResource, WorkspaceIndex } from '../index';
import { stringsAt } from '../refs';

type Obj = Record<string, unknown>;
const asObjs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => x !== null && typeof x === 'object') : []);

/** RequestAuthentications whose rules reach workloads in `namespace` (same namespace or the root namespace). */
export function requestAuthsInScope(index: WorkspaceIndex, namespace: string, rootNamespace: string): IndexedResource[] {
  return index.inScope('RequestAuthentication', namespace, rootNamespace);
}

export function issuersOf(ra: IndexedResource): string[] {
  return asObjs(ra.resource.spec.jwtRules).flatMap((r) => (typeof r.issuer === 'string' ? [r.issuer] : []));
}

/** Could a request principal pattern (`iss/sub`, with a leading or trailing `*`) match a token of `iss`? */
export function principalMatchesIssuer(pattern: string, iss: string): boolean {
  if (pattern === '*' || pattern.startsWith('*')) return true;
  const principalPrefix = `${iss}/`;
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return principalPrefix.startsWith(prefix) || prefix.startsWith(principalPrefix);
  }
  return pattern.startsWith(principalPrefix);
}

function slashHint(pattern: string, issuers: string[]): string {
  for (const iss of issuers) {
    const alt = iss.endsWith('/') ? iss.slice(0, -1) : `${iss}/`;
    if (principalMatchesIssuer(pattern, alt)) {
      return ` The issuer '${iss}' differs only by a trailing slash: a principal is '<iss>/<sub>', so with issuer '${iss}' write '${iss}/*'.`;
    }
  }
  return '';
}

function requestPrincipalPlaces(ap: IndexedResource): Array<{ path: Array<string | number>; value: string }> {
  const out: Array<{ path: Array<string | number>; value: string }> = [];
  asObjs(ap.resource.spec.rules).forEach((rule, r) => {
    asObjs(rule.from).forEach((from, f) => {
      const source = (from.source ?? {}) as Obj;
      stringsAt(source.requestPrincipals).forEach((value, i) => out.push({ path: ['spec', 'rules', r, 'from', f, 'source', 'requestPrincipals', i], value }));
    });
    asObjs(rule.when).forEach((cond, w) => {
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
  check({ index, settings, report }) {
    const anyRequestAuth = index.ofKind('RequestAuthentication').length > 0;
    for (const ap of index.ofKind('AuthorizationPolicy')) {
      const ras = requestAuthsInScope(index, ap.namespace, settings.rootNamespace);
      const issuers = ras.flatMap(issuersOf);
      for (const place of requestPrincipalPlaces(ap)) {
        if (issuers.some((iss) => principalMatchesIssuer(place.value, iss))) continue;
        const where = `${ap.namespace}${ap.namespace === settings.rootNamespace ? '' : ` or ${settings.rootNamespace}`}`;
        const known = issuers.length ? ` Issuers accepted there: ${issuers.map((i) => `'${i}'`).join(', ')}.` : '';
        report({
          at: ap,
          path: place.path,
          severity: anyRequestAuth ? 'warning' : 'information',
          message: `'${place.value}' can never match: no RequestAuthentication in ${where} in the workspace accepts its issuer, so no request carries this principal.${known}${slashHint(place.value, issuers)}`,
          related: ras.map((ra) => ({ at: ra, path: ['spec', 'jwtRules'], target: 'key' as const, message: `RequestAuthentication ${ra.namespace}/${ra.resource.name}` })),
        });
      }
    }
  },
};

function requiresToken(ap: IndexedResource): boolean {
  return asObjs(ap.resource.spec.rules).some(
    (rule) =>
      asObjs(rule.from).some((f) => {
        const s = (f.source ?? {}) as Obj;
        return stringsAt(s.requestPrincipals).length > 0 || stringsAt(s.notRequestPrincipals).length > 0;
      }) || asObjs(rule.when).some((c) => typeof c.key === 'string' && c.key.startsWith('request.auth.')),
  );
}

function selectorYaml(ra: IndexedResource): string {
  const labels = ((ra.resource.spec.selector as Obj | undefined)?.matchLabels ?? {}) as Obj;
  const entries = Object.entries(labels).filter(([, v]) => typeof v === 'string');
  if (entries.length === 0) return '';
  return `  selector:\n    matchLabels:\n${entries.map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`).join('\n')}\n`;
}

export const requestAuthWithoutPolicy: CrossRule = {
  code: 'xref-reqauth-without-policy',
  severity: 'information',
  summary: 'A RequestAuthentication with no AuthorizationPolicy requiring a token: requests without a token are still allowed.',
  source: 'Istio docs: RequestAuthentication only rejects invalid tokens; use an AuthorizationPolicy to require one',
  check({ index, settings, report }) {
    for (const ra of index.ofKind('RequestAuthentication')) {
      const covered = index.inScope('AuthorizationPolicy', ra.namespace, settings.rootNamespace).some(requiresToken);
      if (covered) continue;
      const name = `${ra.resource.name ?? 'jwt'}-require-jwt`;
      report({
        at: ra,
        path: ['kind'],
        message: `RequestAuthentication ${ra.namespace}/${ra.resource.name}: requests without a token are still allowed (it only rejects invalid tokens). Add an AuthorizationPolicy with requestPrincipals: ["*"] to require one.`,
        fixes: (doc) => {
          const end = doc.lines.positionAt(doc.text.length);
          const sep = doc.text.endsWith('\n') ? '' : '\n';
          const text = `${sep}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ra.namespace}\nspec:\n${selectorYaml(ra)}  action: ALLOW\n  rules:\n  - from:\n    - source:\n        requestPrincipals: ["*"]\n`;
          return [{ title: `Add AuthorizationPolicy ${name} requiring a valid JWT`, edits: [{ range: { start: end, end }, newText: text }] }];
        },
      });
    }
  },
};
