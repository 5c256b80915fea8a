import type { Position, Range } from '../diagnostics';
import type { AnalysisCache } from '../model/analysisCache';
import type { EngineSettings } from '../rules/rule';
import type { Facet, IndexedResource, WorkspaceIndex } from './index';
import { IncrementalQuery, type IndexView } from './incremental';
import { PlaceResolver, type ResourcePlace } from './places';
import { boundGateways, normalizeServiceHost, objectsAt, stringsAt, type Obj } from './refs';
import { destinationRuleHostFacet } from './rules/routing';
import { principalMatchesIssuer, requestAuthsInScope } from './rules/jwt';
import { GATEWAY, LISTENER_SET } from './gatewayApi/model';
import { GATEWAY_API_REFERRERS, gatewayApiReferencesOf, type GatewayApiReferenceKind } from './gatewayApi/references';

export type ReferenceKind = 'gateway' | 'subset' | 'host' | 'issuer' | GatewayApiReferenceKind;

/** A reference from one resource's field to another resource's field. */
export interface Reference {
  kind: ReferenceKind;
  from: ResourcePlace;
  to: ResourcePlace;
}

export interface Location {
  file: string;
  range: Range;
}

/** ServiceEntries by each host they define (normalized). */
const serviceEntryHostFacet: Facet = {
  id: 'se-host',
  kinds: ['ServiceEntry'],
  keys: (se) => stringsAt(se.resource.spec.hosts).map((h) => normalizeServiceHost(h, se.namespace)),
};

function destinations(vs: IndexedResource): Array<{ path: Array<string | number>; dest: Obj }> {
  const out: Array<{ path: Array<string | number>; dest: Obj }> = [];
  for (const section of ['http', 'tls', 'tcp'] as const) {
    objectsAt(vs.resource.spec[section]).forEach((route, r) => {
      objectsAt(route.route).forEach((dst, d) => {
        if (dst.destination && typeof dst.destination === 'object') out.push({ path: ['spec', section, r, 'route', d, 'destination'], dest: dst.destination as Obj });
      });
      if (section === 'http' && route.mirror && typeof route.mirror === 'object') out.push({ path: ['spec', section, r, 'mirror'], dest: route.mirror as Obj });
    });
  }
  return out;
}

function virtualServiceReferences(vs: IndexedResource, index: IndexView): Reference[] {
  const refs: Reference[] = [];
  for (const { i, gw } of boundGateways(index, vs)) {
    if (gw) refs.push({ kind: 'gateway', from: { at: vs, path: ['spec', 'gateways', i] }, to: { at: gw, path: ['metadata', 'name'] } });
  }
  for (const { path, dest } of destinations(vs)) {
    if (typeof dest.host !== 'string') continue;
    const host = normalizeServiceHost(dest.host, vs.namespace);
    for (const dr of index.withFacet(destinationRuleHostFacet, host)) {
      refs.push({ kind: 'host', from: { at: vs, path: [...path, 'host'] }, to: { at: dr, path: ['spec', 'host'] } });
      if (typeof dest.subset === 'string') {
        const j = objectsAt(dr.resource.spec.subsets).findIndex((s) => s.name === dest.subset);
        if (j !== -1) refs.push({ kind: 'subset', from: { at: vs, path: [...path, 'subset'] }, to: { at: dr, path: ['spec', 'subsets', j, 'name'] } });
      }
    }
    for (const se of index.withFacet(serviceEntryHostFacet, host)) {
      const k = stringsAt(se.resource.spec.hosts).findIndex((h) => normalizeServiceHost(h, se.namespace) === host);
      if (k !== -1) refs.push({ kind: 'host', from: { at: vs, path: [...path, 'host'] }, to: { at: se, path: ['spec', 'hosts', k] } });
    }
  }
  return refs;
}

function policyReferences(ap: IndexedResource, index: IndexView, settings: EngineSettings): Reference[] {
  const refs: Reference[] = [];
  const principals: Array<{ path: Array<string | number>; value: string }> = [];
  objectsAt(ap.resource.spec.rules).forEach((rule, r) => {
    objectsAt(rule.from).forEach((from, f) => {
      stringsAt(((from.source ?? {}) as Obj).requestPrincipals).forEach((p, i) => {
        if (!(p === '*' || p.startsWith('*'))) principals.push({ path: ['spec', 'rules', r, 'from', f, 'source', 'requestPrincipals', i], value: p });
      });
    });
  });
  if (principals.length === 0) return refs;
  const ras = requestAuthsInScope(index, ap.namespace, settings.rootNamespace);
  for (const p of principals) {
    for (const ra of ras) {
      objectsAt(ra.resource.spec.jwtRules).forEach((jr, k) => {
        if (typeof jr.issuer === 'string' && principalMatchesIssuer(p.value, jr.issuer)) refs.push({ kind: 'issuer', from: { at: ap, path: p.path }, to: { at: ra, path: ['spec', 'jwtRules', k, 'issuer'] } });
      });
    }
  }
  return refs;
}

/** Resources that get a "referenced by" lens: which references count, and what the referrers are called. */
const LENSES: Readonly<Record<string, { kinds: readonly ReferenceKind[]; one: string; many: string }>> = {
  Gateway: { kinds: ['gateway'], one: 'VirtualService', many: 'VirtualServices' },
  RequestAuthentication: { kinds: ['issuer'], one: 'AuthorizationPolicy rule', many: 'AuthorizationPolicy rules' },
  [GATEWAY]: { kinds: ['parent', 'target'], one: 'route or policy', many: 'routes and policies' },
  [LISTENER_SET]: { kinds: ['parent'], one: 'route', many: 'routes' },
};

function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

const samePlace = (a: ResourcePlace, b: ResourcePlace) => a.at === b.at && JSON.stringify(a.path) === JSON.stringify(b.path);

/**
 * Definition, references and reference counts. Each resource's outgoing references are computed
 * incrementally (like the cross rules), and an inverted map answers "who references this".
 */
export class Navigator {
  private readonly query: IncrementalQuery<Reference[]>;
  private readonly incoming = new Map<IndexedResource, Set<Reference>>();
  private readonly outgoing = new Map<IndexedResource, Reference[]>();
  private readonly places: PlaceResolver;

  constructor(
    private readonly index: WorkspaceIndex,
    settings: EngineSettings,
    analyses?: AnalysisCache,
  ) {
    this.places = new PlaceResolver(analyses);
    this.query = new IncrementalQuery(index, {
      subjects: [...new Set(['VirtualService', 'AuthorizationPolicy', ...GATEWAY_API_REFERRERS])],
      facets: [destinationRuleHostFacet, serviceEntryHostFacet],
      compute: (subject, view) => {
        if (subject.key === 'VirtualService') return virtualServiceReferences(subject, view);
        const gatewayApi = gatewayApiReferencesOf(subject, view);
        return subject.key === 'AuthorizationPolicy' ? [...policyReferences(subject, view, settings), ...gatewayApi] : gatewayApi;
      },
    });
  }

  dispose(): void {
    this.query.dispose();
  }

  private refresh(): void {
    if (!this.query.pending) return;
    const { changed } = this.query.refresh();
    for (const subject of changed) {
      for (const ref of this.outgoing.get(subject) ?? []) {
        const set = this.incoming.get(ref.to.at);
        set?.delete(ref);
        if (set?.size === 0) this.incoming.delete(ref.to.at);
      }
      this.outgoing.delete(subject);
      const refs = subject.live ? (this.query.get(subject) ?? []) : [];
      if (refs.length === 0) continue;
      this.outgoing.set(subject, refs);
      for (const ref of refs) {
        let set = this.incoming.get(ref.to.at);
        if (!set) {
          set = new Set();
          this.incoming.set(ref.to.at, set);
        }
        set.add(ref);
      }
    }
  }

  private location(p: ResourcePlace): Location | undefined {
    return p.at.live ? { file: p.at.file, range: this.places.range(p) } : undefined;
  }

  /** The resources of a file whose document holds a line. */
  private resourceAt(file: string, line: number): IndexedResource | undefined {
    const list = this.index.ofFile(file);
    let found: IndexedResource | undefined;
    for (const r of list) {
      if (r.startLine > line) break;
      found = r;
    }
    return found;
  }

  private refsInto(r: IndexedResource): Reference[] {
    return [...(this.incoming.get(r) ?? [])].sort((a, b) => (a.from.at.file < b.from.at.file ? -1 : a.from.at.file > b.from.at.file ? 1 : a.from.at.docIndex - b.from.at.docIndex));
  }

  definition(file: string, pos: Position): Location[] {
    this.refresh();
    const at = this.resourceAt(file, pos.line);
    if (!at) return [];
    return (this.outgoing.get(at) ?? []).filter((r) => this.isAt(r.from, pos)).flatMap((r) => this.location(r.to) ?? []);
  }

  private isAt(p: ResourcePlace, pos: Position): boolean {
    const loc = this.location(p);
    return loc !== undefined && contains(loc.range, pos);
  }

  /** References to the place under the cursor (a referenced field or a resource's name), or of the reference under it. */
  references(file: string, pos: Position, includeDeclaration: boolean): Location[] {
    this.refresh();
    const at = this.resourceAt(file, pos.line);
    if (!at) return [];
    const hit = this.refsInto(at).find((r) => this.isAt(r.to, pos)) ?? (this.outgoing.get(at) ?? []).find((r) => this.isAt(r.from, pos));
    if (!hit) return [];
    const target = hit.to;
    const locs = this.refsInto(target.at)
      .filter((r) => samePlace(r.to, target))
      .flatMap((r) => this.location(r.from) ?? []);
    if (includeDeclaration) {
      const decl = this.location(target);
      if (decl) locs.unshift(decl);
    }
    return locs;
  }

  /**
   * For CodeLens: the resources of `file` that others reference (Istio Gateways, RequestAuthentications,
   * Gateway API Gateways and ListenerSets), with the references and what to call the referrers, in
   * the right number ("VirtualService", "routes and policies").
   */
  referenced(file: string): Array<{ resource: IndexedResource; name: Location; references: Location[]; noun: string }> {
    this.refresh();
    const out: Array<{ resource: IndexedResource; name: Location; references: Location[]; noun: string }> = [];
    for (const res of this.index.ofFile(file)) {
      const lens = LENSES[res.key];
      if (!lens) continue;
      const references = this.refsInto(res)
        .filter((r) => lens.kinds.includes(r.kind))
        .flatMap((r) => this.location(r.from) ?? []);
      if (references.length > 0) out.push({ resource: res, name: { file, range: res.nameRange }, references, noun: references.length === 1 ? lens.one : lens.many });
    }
    return out;
  }
}
