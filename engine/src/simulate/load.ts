import { FileModel } from '../model/fileModel';
import type { IstioResource } from '../model/resource';

/** The Istio resources of one YAML file's text, as the engine's FileModel identifies them. */
export function resourcesOfText(text: string): IstioResource[] {
  const model = new FileModel();
  model.update(text);
  return model.documents.flatMap((d) => (d.analysis.resource ? [d.analysis.resource] : []));
}
