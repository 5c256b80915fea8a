import type { Finding, Fix, Severity } from '../diagnostics';
import type { Path, Target } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import type { IstioResource } from '../model/resource';

/** What a rule says about one place in a document. */
export interface Report {
  path: Path;
  message: string;
  /** Which part of the path to underline (default 'value'; 'key' for unknown/forbidden fields). */
  target?: Target;
  /** Overrides the rule's severity for this report (rare: e.g. a warning form of an error rule). */
  severity?: Severity;
  istioCode?: string;
  fixes?: Fix[];
  tags?: Finding['tags'];
}

export interface RuleContext {
  resource: IstioResource;
  doc: ParsedDoc;
  /** Engine settings that change verdicts (root namespace, default namespace...). */
  settings: EngineSettings;
  report(r: Report): void;
}

/**
 * A semantic rule: data first (code, severity, kinds, documentation), then a pure check.
 * One file per Istio kind groups that kind's rules (engine/src/rules/<kind>.ts).
 */
export interface Rule {
  code: string;
  severity: Severity;
  /** Kinds the rule applies to, or '*' for every Istio kind. */
  kinds: readonly string[] | '*';
  /** One line: what the rule checks. Used by docs/diagnostics.md and hover. */
  summary: string;
  /** Where Istio states the rule (file or doc), for docs/diagnostics.md. */
  source?: string;
  check(ctx: RuleContext): void;
}

export interface EngineSettings {
  /** Istio's root namespace: policies here apply mesh-wide. */
  rootNamespace: string;
  /** Namespace assumed for documents without metadata.namespace. */
  defaultNamespace: string;
}

export const DEFAULT_SETTINGS: EngineSettings = {
  rootNamespace: 'istio-system',
  defaultNamespace: 'default',
};

export function defineRules(rules: Rule[]): Rule[] {
  return rules;
}
