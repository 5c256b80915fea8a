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
