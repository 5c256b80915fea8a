import type { Severity } from './diagnostics';
import { codeDocPage } from './diagnostics';
import { JWKS_CODES } from './jwks/codes';
import { JWT_CODES } from './jwt/codes';
import { RULES } from './rules';
import { TEMPLATE_CODES } from './templates/codes';
import { CROSS_RULES } from './workspace/rules';

/** One diagnostic code: what docs/diagnostics.md lists. */
export interface CodeInfo {
  code: string;
  severity: Severity | 'varies';
  summary: string;
  source?: string;
  /** The documentation page, relative to docs/. */
  page: string;
}

/** Codes of the YAML model, the CRD schema layer and removed APIs (documented in docs/diagnostics.md itself). */
export const CORE_CODES: Record<string, { severity: Severity | 'varies'; summary: string; source: string }> = {
  'yaml-syntax': { severity: 'error', summary: 'The document is not valid YAML; the message says what the parser expected.', source: 'YAML 1.2 (the `yaml` package); the API server rejects the file' },
  'yaml-duplicate-key': { severity: 'error', summary: 'A mapping has the same key twice.', source: 'sigs.k8s.io/yaml strict decoding (kubectl: "mapping key already defined")' },
  'yaml-tab-indent': { severity: 'error', summary: 'A tab is used for indentation; YAML allows only spaces.', source: 'YAML 1.2 spec' },
  'yaml-alias-limit': { severity: 'varies', summary: 'YAML aliases expand too much: an error when Kubernetes\' YAML parser refuses the document (go-yaml v2 "excessive aliasing", e.g. an alias bomb), a warning when it accepts it but the expansion passes istio-sec\'s validation bound (10,000 nodes); the document is not validated.', source: 'sigs.k8s.io/yaml goyaml.v2 decode.go (allowedAliasRatio); istio-sec limit' },
  'yaml-1-1-scalar': { severity: 'warning', summary: 'An unquoted scalar Kubernetes reads with YAML 1.1 (go-yaml v2) as another value than YAML 1.2 tools do: `yes`/`on` in a boolean field, `8_080`, `0443` (octal 291), `0b101`; the engine validates what Kubernetes reads. A fix writes that value.', source: 'sigs.k8s.io/yaml (go-yaml v2 resolve.go) vs. the YAML 1.2 core schema' },
  'file-invalid-utf8': { severity: 'error', summary: 'The file is not valid UTF-8 (istio-sec check): kubectl and the API server reject it; invalid bytes are read as U+FFFD.', source: 'Kubernetes YAML decoding (UTF-8 only)' },
  'file-too-large': { severity: 'warning', summary: 'The file is larger than the validator reads (20 MB); nothing in it is validated (istio-sec check does not even read it).', source: 'istio-sec limit' },
  'file-skipped': { severity: 'warning', summary: 'istio-sec check did not read this path: not a regular file (a FIFO, a socket, a device), a symbolic link loop or a link to a missing file, or unreadable (permissions, I/O error). The other files are still checked.', source: 'istio-sec' },
  'internal-error': { severity: 'warning', summary: 'A check failed unexpectedly; other diagnostics are still shown. Please report it.', source: 'istio-sec' },
  'removed-api': { severity: 'error', summary: 'A kind of a removed Istio API (authentication.istio.io, rbac.istio.io, config.istio.io): clusters answer "no matches for kind".', source: 'Istio 1.6 / 1.8 release notes' },
  'api-version-not-served': { severity: 'error', summary: 'The kind exists but this apiVersion is not served by Istio 1.30 (or, for gateway.networking.k8s.io, by the Gateway API v1.5.1 standard channel); the message lists the served versions.', source: 'Istio 1.30.3 and Gateway API v1.5.1 CRDs (spec.versions[].served)' },
  'api-version-deprecated': { severity: 'warning', summary: 'The apiVersion is served but deprecated; prefer the version the message names.', source: 'Istio 1.30.3 and Gateway API v1.5.1 CRDs (spec.versions[].deprecated)' },
  'unknown-kind': { severity: 'error', summary: 'No kind of that name in the Istio or Gateway API group; the message suggests the closest.', source: 'Istio 1.30.3 and Gateway API v1.5.1 standard-channel CRDs' },
  'experimental-kind': { severity: 'information', summary: 'A Gateway API experimental-channel kind (TCPRoute, UDPRoute): not validated; a cluster with only the standard-channel CRDs Istio installs does not know it.', source: 'Gateway API v1.5.1 config/crd/experimental' },
  'metadata-name-missing': { severity: 'error', summary: 'metadata.name is missing (and no generateName).', source: 'Kubernetes API server (ObjectMeta validation)' },
  'metadata-name-invalid': { severity: 'error', summary: 'metadata.name is not a valid Kubernetes name for this kind.', source: 'Kubernetes API server (DNS-1123 subdomain)' },
  'metadata-namespace-invalid': { severity: 'error', summary: 'metadata.namespace is not a DNS-1123 label.', source: 'Kubernetes API server' },
  'metadata-label-invalid': { severity: 'error', summary: 'A label key or value is not valid.', source: 'Kubernetes API server (label syntax)' },
  'metadata-annotation-invalid': { severity: 'error', summary: 'An annotation key is not valid, or its value is not a string.', source: 'Kubernetes API server' },
  'schema-unknown-field': { severity: 'error', summary: 'A field the CRD does not declare (strict field validation); a near miss gets a "did you mean" fix.', source: 'Kubernetes API server, kubectl --validate=strict' },
  'schema-type': { severity: 'error', summary: 'A value of the wrong type (e.g. a string where an integer is expected).', source: 'CRD OpenAPI schema' },
  'schema-ambiguous-scalar': { severity: 'varies', summary: 'An unquoted scalar Kubernetes reads as another type than the field expects: an error for YAML 1.1 values in string fields (`on` is a boolean, `1_000` an integer for go-yaml v2), a warning for `[001:db8::]`, a string for Kubernetes but a mapping for YAML 1.2 tools.', source: 'sigs.k8s.io/yaml (go-yaml v2) vs. the YAML 1.2 core schema and CRD types' },
  'schema-enum': { severity: 'error', summary: 'A value outside the field\'s allowed values; the message lists them, a fix picks the closest.', source: 'CRD OpenAPI schema (enum)' },
  'schema-required': { severity: 'error', summary: 'A required field is missing.', source: 'CRD OpenAPI schema (required)' },
  'schema-one-of': { severity: 'error', summary: 'Fields that exclude each other are set together (or none of a required set is).', source: 'CRD OpenAPI schema (oneOf/anyOf)' },
  'schema-pattern': { severity: 'error', summary: 'A string does not match the field\'s pattern.', source: 'CRD OpenAPI schema (pattern)' },
  'schema-format': { severity: 'error', summary: 'A string is not in the field\'s format.', source: 'CRD OpenAPI schema (format)' },
  'schema-minimum': { severity: 'error', summary: 'A number below the field\'s minimum.', source: 'CRD OpenAPI schema' },
  'schema-maximum': { severity: 'error', summary: 'A number above the field\'s maximum.', source: 'CRD OpenAPI schema' },
  'schema-min-length': { severity: 'error', summary: 'A string shorter than allowed.', source: 'CRD OpenAPI schema' },
  'schema-max-length': { severity: 'error', summary: 'A string longer than allowed.', source: 'CRD OpenAPI schema' },
  'schema-min-items': { severity: 'error', summary: 'A list with fewer items than allowed.', source: 'CRD OpenAPI schema' },
  'schema-max-items': { severity: 'error', summary: 'A list with more items than allowed.', source: 'CRD OpenAPI schema' },
  'schema-min-properties': { severity: 'error', summary: 'A map with fewer entries than allowed.', source: 'CRD OpenAPI schema' },
  'schema-max-properties': { severity: 'error', summary: 'A map with more entries than allowed.', source: 'CRD OpenAPI schema' },
  'schema-duplicate-item': { severity: 'error', summary: 'A duplicate item in a list the CRD declares as a set or map (x-kubernetes-list-type).', source: 'Kubernetes API server (list-type validation)' },
  'webhook-denied': { severity: 'error', summary: 'The cluster\'s admission webhook (e.g. validation.istio.io) refused the document during apply or dry run (source "cluster"); the message is the webhook\'s. Cleared when the file is edited.', source: 'kubectl apply / --dry-run=server against the confirmed context' },
  'schema-cel': { severity: 'error', summary: 'A CEL rule of the CRD (x-kubernetes-validations) fails; the message is the rule\'s own (or its messageExpression). Transition rules (oldSelf) are not run: an editor has no previous object.', source: 'Istio 1.30.3 and Gateway API v1.5.1 CRDs, evaluated like the API server' },
};

/** Every code the product reports, with its page. */
export function allCodes(): CodeInfo[] {
  const out: CodeInfo[] = [];
  const add = (code: string, severity: CodeInfo['severity'], summary: string, source?: string) => out.push({ code, severity, summary, source, page: codeDocPage(code) });
  for (const [code, c] of Object.entries(CORE_CODES)) add(code, c.severity, c.summary, c.source);
  for (const r of RULES) add(r.code, r.severity, r.summary, r.source);
  for (const r of CROSS_RULES) add(r.code, r.severity, r.summary, r.source);
  for (const [code, c] of Object.entries(JWKS_CODES)) add(code, c.severity, c.summary, c.source);
  for (const [code, c] of Object.entries(JWT_CODES)) add(code, c.severity, c.summary, c.source);
  for (const [code, c] of Object.entries(TEMPLATE_CODES)) add(code, c.severity, c.summary, c.source);
  const seen = new Set<string>();
  return out.filter((c) => (seen.has(c.code) ? false : (seen.add(c.code), true)));
}
