import type { Finding } from './diagnostics';
import type { ParsedDoc } from './model/parse';
import { CURRENT_ISTIO_GROUPS, REMOVED_ISTIO_GROUPS } from './model/resource';
import { RULES } from './rules';
import type { EngineSettings, Rule, RuleContext } from './rules/rule';
import { checkSchema } from './schema/validate';
import { checkRemovedApi } from './legacy/removed';
import { checkInlineJwks } from './jwks/check';
import { checkYaml11 } from './schema/yaml11';

/** A per-document check: reads one parsed document, appends findings (document-relative). */
export type DocumentCheck = (doc: ParsedDoc, settings: EngineSettings, out: Finding[]) => void;

function hasSyntaxErrors(doc: ParsedDoc): boolean {
  return doc.syntaxErrors;
}

/** Structural validation from the CRDs (types, enums, required, unknown fields, CEL rules). */
const schemaCheck: DocumentCheck = (doc, _settings, out) => {
  if (!doc.resource || REMOVED_ISTIO_GROUPS.has(doc.resource.group) || hasSyntaxErrors(doc)) return;
  checkSchema(doc, out);
};

/** Removed APIs (authentication.istio.io, rbac.istio.io, config.istio.io). */
const removedApiCheck: DocumentCheck = (doc, settings, out) => {
  if (doc.resource && REMOVED_ISTIO_GROUPS.has(doc.resource.group)) checkRemovedApi(doc, out, settings);
};

export function rulesFor(kind: string, rules: readonly Rule[] = RULES): Rule[] {
  return rules.filter((r) => r.kinds === '*' || r.kinds.includes(kind));
}

/**
 * Istio's semantic rules (webhook and file-only analyzers), one file per kind under rules/. Only for
 * Istio's groups: istiod's webhook does not validate Gateway API kinds (their CRDs' CEL rules do),
 * and Gateway is a kind of both.
 */
const semanticCheck: DocumentCheck = (doc, settings, out) => {
  const resource = doc.resource;
  if (!resource || !CURRENT_ISTIO_GROUPS.has(resource.group) || hasSyntaxErrors(doc)) return;
  for (const rule of rulesFor(resource.kind)) {
    const ctx: RuleContext = {
      resource,
      doc,
      settings,
      report: (r) =>
        out.push({
          code: rule.code,
          severity: r.severity ?? rule.severity,
          message: r.message,
          range: doc.rangeOf(r.path, r.target ?? 'value'),
          istioCode: r.istioCode,
          fixes: r.fixes,
          tags: r.tags,
        }),
    };
    rule.check(ctx);
  }
};

/** Keys of inline `jwks` in RequestAuthentication jwtRules (no network). */
const inlineJwksCheck: DocumentCheck = (doc, _settings, out) => {
  if (doc.resource?.kind !== 'RequestAuthentication' || doc.resource.group !== 'security.istio.io' || hasSyntaxErrors(doc)) return;
  checkInlineJwks(doc, out);
};

/** Unquoted scalars Kubernetes (YAML 1.1) and YAML 1.2 tools read differently; runs last, after the errors it defers to. */
const yaml11Check: DocumentCheck = (doc, _settings, out) => {
  if (doc.resource && !hasSyntaxErrors(doc)) checkYaml11(doc, out);
};

export const DOCUMENT_CHECKS: readonly DocumentCheck[] = [removedApiCheck, schemaCheck, semanticCheck, inlineJwksCheck, yaml11Check];
