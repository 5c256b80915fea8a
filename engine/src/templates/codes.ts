import type { Severity } from '../diagnostics';

/** Codes of templates and placeholders: data for findings and docs/diagnostics/templates.md. */
export const TEMPLATE_CODES: Record<string, { severity: Severity | 'varies'; summary: string; source: string }> = {
  'placeholder-value': {
    severity: 'varies',
    summary:
      'A tutorial or envsubst placeholder (`{YOUR_DOMAIN}`, `{{ your_host }}`, `<your_cluster_url>`, `${VAR}`, `$VAR`, `YOUR_…`, `REPLACE_ME`) instead of a value; it replaces the type, CEL and rule errors the placeholder causes. Severity: what Kubernetes would do with it as written (error when rejected, information when it is a valid string).',
    source: 'istio-sec (the replaced findings: CRD schema and CEL, istiod validation)',
  },
  'helm-template': {
    severity: 'information',
    summary: 'Once per Helm template file: the literal YAML was checked with template actions masked; says what could not be checked (values, include/toYaml blocks, else branches) and how to check the rendered output.',
    source: 'istio-sec (Helm chart templates are Go templates: helm template renders them)',
  },
};
