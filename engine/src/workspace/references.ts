import type { Position, Range } from '../diagnostics';
import type { EngineSettings } from '../rules/rule';
import type { IndexedResource, WorkspaceIndex } from './index';
import { currentEntry, PlaceResolver, type ResourcePlace } from './places';
import { boundGateways, normalizeServiceHost, objectsAt, stringsAt, type Obj } from './refs';
import { principalMatchesIssuer, requestAuthsInScope } from './rules/jwt';

export type ReferenceKind = 'gateway' | 'subset' | 'host' | 'issuer';

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

/** Every reference between resources of the index. */
export function collectReferences(index: WorkspaceIndex, settings: EngineSettings): Reference[] {
  const refs: Reference[] = [];
  const drs = index.ofKind('DestinationRule');
  const ses = index.ofKind('ServiceEntry');
  for (const vs of index.ofKind('VirtualService')) {
    for (const { i, gw } of boundGateways(index, vs)) {
      if (gw) refs.push({ kind: 'gateway', from: { at: vs, path: ['spec', 'gateways', i] }, to: { at: gw, path: ['metadata', 'name'] } });
    }
    for (const { path, dest } of destinations(vs)) {
      if (typeof dest.host !== 'string') continue;
      const host = normalizeServiceHost(dest.host, vs.namespace);
      for (const dr of drs) {
        if (typeof dr.resource.spec.host !== 'string' || normalizeServiceHost(dr.resource.spec.host, dr.namespace) !== host) continue;
        refs.push({ kind: 'host', from: { at: vs, path: [...path, 'host'] }, to: { at: dr, path: ['spec', 'host'] } });
        if (typeof dest.subset === 'string') {
          const j = objectsAt(dr.resource.spec.subsets).findIndex((s) => s.name === dest.subset);
          if (j !== -1) refs.push({ kind: 'subset', from: { at: vs, path: [...path, 'subset'] }, to: { at: dr, path: ['spec', 'subsets', j, 'name'] } });
        }
      }
      for (const se of ses) {
        const k = stringsAt(se.resource.spec.hosts).findIndex((h) => normalizeServiceHost(h, se.namespace) === host);
        if (k !== -1) refs.push({ kind: 'host', from: { at: vs, path: [...path, 'host'] }, to: { at: se, path: ['spec', 'hosts', k] } });
      }
    }
  }
  for (const ap of index.ofKind('AuthorizationPolicy')) {
    const ras = requestAuthsInScope(index, ap.namespace, settings.rootNamespace);
    objectsAt(ap.resource.spec.rules).forEach((rule, r) => {
      objectsAt(rule.from).forEach((from, f) => {
        stringsAt(((from.source ?? {}) as Obj).requestPrincipals).forEach((p, i) => {
          if (p === '*' || p.startsWith('*')) return;
          for (const ra of ras) {
            objectsAt(ra.resource.spec.jwtRules).forEach((jr, k) => {
              if (typeof jr.issuer === 'string' && principalMatchesIssuer(p, jr.issuer)) {
                refs.push({ kind: 'issuer', from: { at: ap, path: ['spec', 'rules', r, 'from', f, 'source', 'requestPrincipals', i] }, to: { at: ra, path: ['spec', 'jwtRules', k, 'issuer'] } });
              }
            });
          }
        });
      });
    });
  }
  return refs;
}

function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

const sameTarget = (a: ResourcePlace, b: ResourcePlace) => a.at.file === b.at.file && a.at.docIndex === b.at.docIndex && JSON.stringify(a.path) === JSON.stringify(b.path);

/** Definition, references and reference counts over the index (references cached by index version). */
export class Navigator {
  private version = -1;
  private refs: Reference[] = [];
  private readonly places = new PlaceResolver();

  constructor(private settings: EngineSettings) {}

  reconfigure(settings: EngineSettings): void {
    this.settings = settings;
    this.version = -1;
  }

  private all(index: WorkspaceIndex): Reference[] {
    if (index.version !== this.version) {
      this.refs = collectReferences(index, this.settings);
      this.version = index.version;
    }
    return this.refs;
  }

  /** Re-reads the current entries (positions may have moved since references were collected). */
  private place(index: WorkspaceIndex, p: ResourcePlace): ResourcePlace | undefined {
    return currentEntry(index, p.at) ? p : undefined;
  }

  private location(index: WorkspaceIndex, p: ResourcePlace): Location | undefined {
    const cur = this.place(index, p);
    return cur ? { file: cur.at.file, range: this.places.range(cur) } : undefined;
  }

  private isAt(index: WorkspaceIndex, p: ResourcePlace, file: string, pos: Position): boolean {
    if (p.at.file !== file) return false;
    const loc = this.location(index, p);
    return loc !== undefined && contains(loc.range, pos);
  }

  definition(index: WorkspaceIndex, file: string, pos: Position): Location[] {
    return this.all(index)
      .filter((r) => this.isAt(index, r.from, file, pos))
      .flatMap((r) => this.location(index, r.to) ?? []);
  }

  /** References to the place under the cursor (a referenced field or a resource's name), or of the reference under it. */
  references(index: WorkspaceIndex, file: string, pos: Position, includeDeclaration: boolean): Location[] {
    const refs = this.all(index);
    const hit = refs.find((r) => this.isAt(index, r.to, file, pos)) ?? refs.find((r) => this.isAt(index, r.from, file, pos));
    if (!hit) return [];
    const target = hit.to;
    const locs = refs.filter((r) => sameTarget(r.to, target)).flatMap((r) => this.location(index, r.from) ?? []);
    if (includeDeclaration) {
      const decl = this.location(index, target);
      if (decl) locs.unshift(decl);
    }
    return locs;
  }

  /** For CodeLens: resources of `file` that other resources reference (none: no lens), with the references. */
  referenced(index: WorkspaceIndex, file: string): Array<{ resource: IndexedResource; name: Location; references: Location[] }> {
    const out: Array<{ resource: IndexedResource; name: Location; references: Location[] }> = [];
    for (const res of index.ofFile(file)) {
      if (res.resource.kind !== 'Gateway' && res.resource.kind !== 'RequestAuthentication') continue;
      const refs = this.all(index).filter((r) => r.to.at.file === file && r.to.at.text === res.text && (r.kind === 'gateway' || r.kind === 'issuer'));
      const references = refs.flatMap((r) => this.location(index, r.from) ?? []);
      if (references.length > 0) out.push({ resource: res, name: { file, range: res.nameRange }, references });
    }
    return out;
  }
}
