import type { Finding, Fix } from '../diagnostics';
import type { ParsedDoc } from '../model/parse';
import { DEFAULT_SETTINGS, type EngineSettings } from '../rules/rule';
import { removedMessage } from './catalog';
import { convertSingleDocument } from './migrate';

export { REMOVED_KINDS, removedKindInfo, type RemovedKind } from './catalog';

/** Why a removed kind gets no per-document fix (appended to the message). */
function noFixReason(group: string, kind: string): string {
  if (group === 'config.istio.io') return ' No automatic conversion exists: Mixer configuration has no one-to-one replacement.';
  if (kind === 'ServiceRole' || kind === 'ServiceRoleBinding') {
    return ' A ServiceRole and its ServiceRoleBindings convert together into AuthorizationPolicies: run "Istio: Convert removed APIs" (or `istio-sec migrate`) on the file.';
  }
  return '';
}

function fixesFor(doc: ParsedDoc, settings: EngineSettings): Fix[] | undefined {
  const conv = convertSingleDocument(doc, settings);
  return conv ? [{ title: conv.title, edits: [conv.edit], isPreferred: false }] : undefined;
}

export function checkRemovedApi(doc: ParsedDoc, out: Finding[], settings: EngineSettings = DEFAULT_SETTINGS): void {
  const r = doc.resource;
  if (!r) return;
  const fixes = fixesFor(doc, settings);
  out.push({
    code: 'removed-api',
    severity: 'error',
    message: removedMessage(r.apiVersion, r.group, r.kind) + (fixes ? '' : noFixReason(r.group, r.kind)),
    range: doc.rangeOf(['apiVersion'], 'value'),
    tags: ['deprecated'],
    fixes,
  });
}
