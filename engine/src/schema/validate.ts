/**
 * Structural validation of Istio documents against the 1.30 CRDs, the way the Kubernetes API
 * server validates a create with strict field validation (kubectl ≥ 1.27): served apiVersion and
 * known kind, ObjectMeta, unknown fields, types, enums, bounds, oneOf, list types, CEL rules.
 */
import type { Finding, Fix } from '../diagnostics';
import type { ParsedDoc } from '../model/parse';
import { isGatewayApiGroup, VALIDATED_GROUPS } from '../model/resource';
import { documentSchema, findKind, GATEWAY_API_EXPERIMENTAL_KINDS, kindByName, kindsOfGroup, type KindInfo } from './catalog';
import { runCelTasks } from './celRules';
import { checkMetadata } from './metadata';
import { didYouMean, orList, requoted } from './suggest';
import { walkValue, type WalkState } from './walk';

function replaceFix(doc: ParsedDoc, field: 'apiVersion' | 'kind', value: string, title: string): Fix {
  const range = doc.rangeOf([field], 'value');
  const original = doc.text.slice(doc.lines.offsetAt(range.start), doc.lines.offsetAt(range.end));
  return { title, isPreferred: true, edits: [{ range, newText: requoted(original, value) }] };
}

/** Where a group's CRDs come from, for messages. */
function crdSource(group: string): string {
  return isGatewayApiGroup(group) ? 'the Gateway API v1.5.1 standard channel (the CRDs Istio 1.30 requires)' : 'Istio 1.30';
}

/** apiVersion/kind: the kind exists in the group, and the version is served. Returns the kind when both hold. */
function checkEnvelope(doc: ParsedDoc, out: Finding[]): KindInfo | undefined {
  const resource = doc.resource;
  if (!resource || !VALIDATED_GROUPS.has(resource.group)) return undefined;
  const { group, version, kind } = resource;
  const info = findKind(group, kind);
  if (!info && isGatewayApiGroup(group) && GATEWAY_API_EXPERIMENTAL_KINDS.includes(kind)) {
    out.push({
      code: 'experimental-kind',
      severity: 'information',
      message: `${kind} is a Gateway API experimental-channel kind: this document is not validated (Istio Security validates the v1.5.1 standard channel). A cluster with only the standard CRDs answers "no matches for kind ${kind}"; install the experimental channel to use it.`,
      range: doc.rangeOf(['kind'], 'value'),
    });
    return undefined;
  }
  if (!info) {
    const known = kindsOfGroup(group).map((k) => k.kind);
    const elsewhere = kindByName(kind, group);
    const hasKind = typeof resource.object.kind === 'string';
    if (elsewhere) {
      const apiVersion = `${elsewhere.group}/${elsewhere.servedVersions.includes(version) ? version : elsewhere.preferredVersion}`;
      out.push({
        code: 'unknown-kind',
        severity: 'error',
        message: `${kind} is not in ${group} (kinds there: ${known.join(', ')}); it belongs to ${elsewhere.group}: use apiVersion ${apiVersion}.`,
        range: doc.rangeOf(['apiVersion'], 'value'),
        fixes: [replaceFix(doc, 'apiVersion', apiVersion, `Change apiVersion to ${apiVersion}`)],
      });
      return undefined;
    }
    const suggestion = hasKind ? didYouMean(kind, known) : undefined;
    out.push({
      code: 'unknown-kind',
      severity: 'error',
      message: hasKind
        ? `Unknown kind ${JSON.stringify(kind)} in ${group}${suggestion ? `: did you mean ${suggestion}?` : ''} Kinds in ${group}: ${known.join(', ')}.`
        : `kind is missing: set one of ${orList(known)}.`,
      range: hasKind ? doc.rangeOf(['kind'], 'value') : doc.rangeOf(['apiVersion'], 'key'),
      fixes: suggestion ? [replaceFix(doc, 'kind', suggestion, `Change kind to ${suggestion}`)] : undefined,
    });
    return undefined;
  }
  if (!info.servedVersions.includes(version)) {
    const apiVersion = `${group}/${info.preferredVersion}`;
    out.push({
      code: 'api-version-not-served',
      severity: 'error',
      message: `${group}/${version} is not served for ${kind} by ${crdSource(group)}; served versions: ${info.servedVersions.map((v) => `${group}/${v}`).join(', ')}.`,
      range: doc.rangeOf(['apiVersion'], 'value'),
      fixes: [replaceFix(doc, 'apiVersion', apiVersion, `Change apiVersion to ${apiVersion}`)],
    });
    return undefined;
  }
  const v = info.file.versions.find((x) => x.name === version);
  if (v?.deprecated) {
    out.push({
      code: 'api-version-deprecated',
      severity: 'warning',
      message: v.deprecationWarning ?? `${group}/${version} ${kind} is deprecated; use ${group}/${info.preferredVersion}.`,
      range: doc.rangeOf(['apiVersion'], 'value'),
      tags: ['deprecated'],
    });
  }
  return info;
}

export function checkSchema(doc: ParsedDoc, out: Finding[]): void {
  const info = checkEnvelope(doc, out);
  const resource = doc.resource;
  if (!info || !resource) return;
  const schema = documentSchema(info.group, info.kind, resource.version);
  if (!schema) return;
  const st: WalkState = { doc, out, typeErrors: 0, celTasks: [], rootLabel: info.kind };
  walkValue(st, schema, resource.object, [], '');
  checkMetadata(doc, resource.object, out);
  runCelTasks(st);
}
