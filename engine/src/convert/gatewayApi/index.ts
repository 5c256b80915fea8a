/**
 * Istio APIs → Kubernetes Gateway API (issue 16): Istio Gateways (gateway.ts), the
 * VirtualServices bound to them (virtualService.ts, httpRule.ts, httpMatch.ts, backends.ts) and
 * the policies whose selector picks the gateway pods (policy.ts) become a Gateway API Gateway
 * (gatewayClassName istio), HTTPRoutes / TLSRoutes, ReferenceGrants and policies with
 * `targetRefs`. Pure: texts in, texts and notes out. Like the removed-API conversion
 * (legacy/migrate.ts): untouched documents, comments around documents and `---` separators stay
 * byte-identical, the generated YAML follows the replaced document's style, and every guess or
 * field that does not map is a note with a range in the input.
 *
 * - `convertToGatewayApi(inputs, opts)`: several files at once (a VirtualService or a policy may
 *   live in another file than its Gateway).
 * - `convertTextToGatewayApi(text, opts)`: one file.
 * - `gatewayApiFixAt(text, line, opts)`: the quick fix on the Istio Gateway at a line: that
 *   Gateway with the routes and policies of the same file, as one minimal edit.
 */
import type { TextEdit } from '../../diagnostics';
import { renderDocs, replaceBody } from '../../legacy/emit';
import type { Path } from '../../model/locate';
import { parseDoc } from '../../model/parse';
import { isBlankSegment, splitDocuments, type Segment } from '../../model/split';
import { DEFAULT_SETTINGS } from '../../rules/rule';
import { minimalEdit } from '../../text/minimalEdit';
import { GATEWAY_API_GROUP, asRecord, gatewayApiObject, k8sName, type Obj } from './common';
import { convertGateway } from './gateway';
import { POLICY_KINDS, convertPolicy } from './policy';
import { gatewayKey, generated, type ConversionContext, type ConvertedGateway, type GatewayApiOptions, type GeneratedDoc, type MigrationNote, type SourceDoc } from './types';
import { convertVirtualService } from './virtualService';

export type { GatewayApiOptions, MigrationNote } from './types';

export interface GatewayApiInput {
  name: string;
  text: string;
}

export interface GatewayApiFileResult {
  name: string;
  text: string;
  notes: MigrationNote[];
}

interface Entry {
  file: number;
  segment: Segment;
  src?: SourceDoc;
  /** A Kubernetes Service of the inputs: `namespace/name` and its port numbers. */
  service?: { key: string; ports: number[] };
}

interface Replacement {
  docs: GeneratedDoc[];
  keepOriginal: boolean;
}

function serviceOf(data: unknown, defaultNamespace: string): Entry['service'] {
  const o = asRecord(data);
  if (o?.apiVersion !== 'v1' || o.kind !== 'Service') return undefined;
  const meta = asRecord(o.metadata) ?? {};
  const ports = (Array.isArray(asRecord(o.spec)?.ports) ? (asRecord(o.spec)!.ports as unknown[]) : []).map((p) => asRecord(p)?.port).filter((p): p is number => typeof p === 'number');
  return { key: `${typeof meta.namespace === 'string' ? meta.namespace : defaultNamespace}/${String(meta.name ?? '')}`, ports };
}

function entryOf(file: number, segment: Segment, defaultNamespace: string): Entry {
  if (isBlankSegment(segment.text)) return { file, segment };
  const doc = parseDoc(segment.text);
  const r = doc.resource;
  if (doc.findings.some((f) => f.severity === 'error')) return { file, segment };
  // Services (context objects of the index) and other documents are not converted; a Service's ports are read.
  if (!r || r.context) return { file, segment, service: serviceOf(doc.data, defaultNamespace) };
  return { file, segment, src: { doc, group: r.group, kind: r.kind, name: r.name ?? '', namespace: r.namespace, ns: r.namespace ?? defaultNamespace, spec: r.spec, object: r.object } };
}

function shiftRange(r: MigrationNote['range'], lines: number): MigrationNote['range'] {
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

/** ReferenceGrants, one per (backend namespace, route namespace, route kind), shared by the routes that need it. */
function grantFactory(): ConversionContext['grant'] {
  const grants = new Map<string, GeneratedDoc>();
  return (fromNamespace, routeKind, toNamespace, service) => {
    const key = `${toNamespace}\0${fromNamespace}\0${routeKind}`;
    const existing = grants.get(key);
    if (existing) {
      const to = (existing.object.spec as Obj).to as Obj[];
      if (!to.some((t) => t.name === service) && to.length < 16) to.push({ group: '', kind: 'Service', name: service });
      return undefined;
    }
    const spec = { from: [{ group: GATEWAY_API_GROUP, kind: routeKind, namespace: fromNamespace }], to: [{ group: '', kind: 'Service', name: service }] };
    const doc = generated(gatewayApiObject('ReferenceGrant', k8sName(['allow', `${routeKind.toLowerCase()}s`, 'from', fromNamespace]), toNamespace, spec), [
      ` Lets the ${routeKind}s of namespace ${fromNamespace} use these Services of ${toNamespace} as backends (a cross-namespace backendRef needs it).`,
    ]);
    grants.set(key, doc);
    return doc;
  };
}

function compareNotes(a: MigrationNote, b: MigrationNote): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

interface Pass {
  replacements: Map<Entry, Replacement>;
  notes: MigrationNote[][];
  /** Gateways a VirtualService keeps from converting, with the reason. */
  blocked: Map<string, Block>;
}

/** Why a gateway stays an Istio Gateway: the VirtualService bound to it and the notes it raised. */
interface Block {
  vs: SourceDoc;
  why: string;
  file: number;
  notes: MigrationNote[];
}

const is = (src: SourceDoc | undefined, group: string, kind: string): src is SourceDoc => src?.group === group && src.kind === kind;

/** One conversion of every input, the gateways of `exclude` left as they are. */
function runPass(entries: readonly Entry[], files: number, opts: GatewayApiOptions, exclude: ReadonlyMap<string, Block>): Pass {
  const notes: MigrationNote[][] = Array.from({ length: files }, () => []);
  const placeOf = new Map<SourceDoc, Entry>();
  for (const e of entries) if (e.src) placeOf.set(e.src, e);
  const converted = new Map<string, ConvertedGateway>();
  const untouched: SourceDoc[] = [];
  const ctx: ConversionContext = {
    rootNamespace: opts.rootNamespace ?? DEFAULT_SETTINGS.rootNamespace,
    defaultNamespace: opts.defaultNamespace ?? DEFAULT_SETTINGS.defaultNamespace,
    converted,
    untouched,
    taken: new Set(entries.flatMap((e) => (e.src ? [`${e.src.kind}/${e.src.ns}/${e.src.name}`] : []))),
    servicePorts: (namespace, name) => entries.find((e) => e.service?.key === `${namespace}/${name}`)?.service?.ports,
    note(src: SourceDoc, path: Path, code: string, severity: MigrationNote['severity'], message: string) {
      const e = placeOf.get(src)!;
      notes[e.file].push({ code, severity, message, range: shiftRange(src.doc.rangeOf(path, 'value'), e.segment.startLine) });
    },
    grant: grantFactory(),
  };
  const replacements = new Map<Entry, Replacement>();
  for (const e of entries) {
    if (!is(e.src, 'networking.istio.io', 'Gateway')) continue;
    const src = e.src;
    const key = gatewayKey(src.ns, src.name);
    const block = exclude.get(key);
    if (block) {
      ctx.note(src, ['kind'], 'gwapi-not-converted', 'warning', `Istio Gateway ${key} is not converted: VirtualService ${block.vs.ns}/${block.vs.name} is bound to it and ${block.why}.`);
      for (const n of block.notes) if (!notes[block.file].includes(n)) notes[block.file].push(n);
    }
    const conv = block || (opts.gateways && !opts.gateways.has(key)) ? undefined : convertGateway(src, ctx.note);
    if (!conv) {
      untouched.push(src);
      continue;
    }
    converted.set(key, conv.plan);
    replacements.set(e, { docs: conv.docs, keepOriginal: false });
  }
  const blocked = new Map<string, Block>();
  for (const e of entries) {
    const src = e.src;
    if (!src) continue;
    if (src.group === 'networking.istio.io' && src.kind === 'VirtualService') {
      const before = notes[e.file].length;
      const conv = convertVirtualService(src, ctx);
      if (conv && 'docs' in conv) replacements.set(e, { docs: conv.docs, keepOriginal: false });
      else if (conv) for (const g of conv.blocks) blocked.set(gatewayKey(g.namespace, g.name), { vs: src, why: conv.why, file: e.file, notes: notes[e.file].slice(before) });
    } else if (POLICY_KINDS.has(`${src.group}/${src.kind}`)) {
      const conv = convertPolicy(src, ctx);
      if (conv) replacements.set(e, conv);
    }
  }
  return { replacements, notes, blocked };
}

function render(inputs: readonly GatewayApiInput[], entries: readonly Entry[], pass: Pass): GatewayApiFileResult[] {
  return inputs.map((input, file) => {
    let out = '';
    for (const e of entries.filter((x) => x.file === file)) {
      const r = pass.replacements.get(e);
      if (!r) out += e.segment.text;
      else if (r.keepOriginal) out += `${e.segment.text}${e.segment.text.endsWith('\n') ? '' : '\n'}---\n${renderDocs(r.docs, e.src!.doc)}`;
      else out += replaceBody(e.segment.text, r.docs.length > 0 ? renderDocs(r.docs, e.src!.doc) : '');
    }
    return { name: input.name, text: out, notes: pass.notes[file].sort(compareNotes) };
  });
}

/**
 * Converts Istio Gateways, their VirtualServices and gateway policies across files. A Gateway
 * converts only with every VirtualService bound to it: when one has nothing a Gateway API route
 * can carry, the Gateway stays (and says why), and the conversion runs again without it.
 */
export function convertToGatewayApi(inputs: readonly GatewayApiInput[], opts: GatewayApiOptions = {}): GatewayApiFileResult[] {
  const defaultNamespace = opts.defaultNamespace ?? DEFAULT_SETTINGS.defaultNamespace;
  const entries: Entry[] = inputs.flatMap((input, file) => splitDocuments(input.text).map((segment) => entryOf(file, segment, defaultNamespace)));
  const exclude = new Map<string, Block>();
  for (;;) {
    const pass = runPass(entries, inputs.length, opts, exclude);
    if (pass.blocked.size === 0) return render(inputs, entries, pass);
    for (const [k, v] of pass.blocked) exclude.set(k, v);
  }
}

export function convertTextToGatewayApi(text: string, opts: GatewayApiOptions = {}): { text: string; notes: MigrationNote[] } {
  const [r] = convertToGatewayApi([{ name: '', text }], opts);
  return { text: r.text, notes: r.notes };
}

/** The Istio Gateway document of a file at a line, if any. */
export function istioGatewayAt(text: string, line: number, defaultNamespace = DEFAULT_SETTINGS.defaultNamespace): { namespace: string; name: string } | undefined {
  const segments = splitDocuments(text);
  const seg = [...segments].reverse().find((s) => s.startLine <= line);
  const src = seg ? entryOf(0, seg, defaultNamespace).src : undefined;
  if (!src || src.group !== 'networking.istio.io' || src.kind !== 'Gateway' || !asRecord(src.spec)) return undefined;
  return { namespace: src.ns, name: src.name };
}

export interface GatewayApiFix {
  title: string;
  edit: TextEdit;
  notes: MigrationNote[];
}

/** The quick fix on the Istio Gateway at `line`: it, its VirtualServices and policies of this file. */
export function gatewayApiFixAt(text: string, line: number, opts: GatewayApiOptions = {}): GatewayApiFix | undefined {
  const gw = istioGatewayAt(text, line, opts.defaultNamespace);
  if (!gw) return undefined;
  const r = convertTextToGatewayApi(text, { ...opts, gateways: new Set([gatewayKey(gw.namespace, gw.name)]) });
  const edit = minimalEdit(text, r.text);
  if (!edit) return undefined;
  return { title: `Convert Gateway ${gw.name} to the Kubernetes Gateway API (Gateway, routes and policies of this file)`, edit, notes: r.notes };
}
