import { FileModel } from '../model/fileModel';
import { parseDoc } from '../model/parse';
import type { IstioResource } from '../model/resource';
import { isBlankSegment, splitDocuments } from '../model/split';
import { isObj } from '../jwt/plain';
import type { SimResource } from './types';

/** The Istio resources of one YAML file's text, as the engine's FileModel identifies them. */
export function resourcesOfText(text: string): IstioResource[] {
  const model = new FileModel();
  model.update(text);
  return model.documents.flatMap((d) => (d.analysis.resource ? [d.analysis.resource] : []));
}

/** Every Kubernetes object (apiVersion and kind set) of a YAML file, Istio's or not, as plain data. */
export function objectsOfText(text: string): SimResource[] {
  const out: SimResource[] = [];
  for (const segment of splitDocuments(text)) {
    if (isBlankSegment(segment.text)) continue;
    const data = parseDoc(segment.text).data;
    if (!isObj(data) || typeof data.apiVersion !== 'string' || typeof data.kind !== 'string') continue;
    const meta = isObj(data.metadata) ? data.metadata : {};
    out.push({
      apiVersion: data.apiVersion,
      kind: data.kind,
      name: typeof meta.name === 'string' ? meta.name : undefined,
      namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
      spec: isObj(data.spec) ? data.spec : {},
      object: data,
    });
  }
  return out;
}

/** A document that may be one of the objects the simulator reads besides policies. */
const CONTEXT_KIND = /^kind:[ \t]*["']?(Namespace|Service|Gateway)["']?[ \t]*(#.*)?$/m;
const CONTEXT_GROUPS: Record<string, string> = { Namespace: 'v1', Service: 'v1', Gateway: 'gateway.networking.k8s.io/' };

/**
 * The Namespaces, Services and Gateway API Gateways among documents' texts: what tells a gateway's
 * class and infrastructure labels and which waypoint a Service uses. A cheap line test skips the
 * other documents unparsed.
 */
export function simulationContext(documentTexts: Iterable<string>): SimResource[] {
  const out: SimResource[] = [];
  for (const text of documentTexts) {
    if (!CONTEXT_KIND.test(text)) continue;
    for (const o of objectsOfText(text)) {
      const want = CONTEXT_GROUPS[o.kind];
      if (want !== undefined && (want.endsWith('/') ? o.apiVersion?.startsWith(want) : o.apiVersion === want)) out.push(o);
    }
  }
  return out;
}

function keyOf(r: SimResource, defaultNamespace: string): string {
  return `${r.apiVersion ?? ''}\u0000${r.kind}\u0000${r.namespace ?? defaultNamespace}\u0000${r.name ?? ''}`;
}

/** `resources` plus the `extra` objects they do not already hold. */
export function withObjects(resources: readonly SimResource[], extra: readonly SimResource[], defaultNamespace: string): SimResource[] {
  const seen = new Set(resources.map((r) => keyOf(r, defaultNamespace)));
  return [...resources, ...extra.filter((r) => !seen.has(keyOf(r, defaultNamespace)))];
}
