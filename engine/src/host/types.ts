/**
 * The plain data the analysis host answers with. Positions are LSP-shaped (0-based line, UTF-16
 * character) but nothing here is an LSP type: the server converts, the CLI prints.
 */
import type { CompletionEntry } from '../authoring/complete';
import type { Position, Range } from '../diagnostics';
import type { OutlineItem } from '../outline';
import type { SimTarget } from '../simulate/index';

export type { Finding, Fix, Position, Range, RelatedLocation, Severity, TextEdit } from '../diagnostics';
export type { KeySetReport } from '../jwks/keys';

/** A place in a file (the key the caller gave the file: a URI in the server, a path in the CLI). */
export interface Location {
  file: string;
  range: Range;
}

/** How the last update brought a file up to date, and what it holds. */
export interface FileStatus {
  /** Documents that belong to Istio API groups. */
  istioDocuments: number;
  /** Non-blank documents. */
  documents: number;
  errors: number;
  warnings: number;
  /** Re-split around one edit, or re-read whole. */
  update: 'incremental' | 'full';
  /** Documents analysed by the last update (the others came from the cache). */
  analyzedDocuments: number;
  /** (rule, resource) cross-resource checks run, workspace-wide, since the previous status. */
  crossChecks: number;
}

/** One edit in offsets of the text before it. */
export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

/** A completion: documentation is markdown, insertText VS Code snippet syntax when `snippet`. */
export interface CompletionItem extends Omit<CompletionEntry, 'replace'> {
  /** File-absolute range the insertion replaces. */
  range: Range;
}

/** One Istio document, for outlines. */
export type DocumentSymbol = OutlineItem;

export interface WorkspaceSymbol {
  kind: string;
  namespace: string;
  name?: string;
  location: Location;
}

/** A lens above a resource or a jwtRule. */
export type Lens =
  /** `what`: the referrers, in the number of `locations` ("VirtualService", "routes and policies"). */
  | { kind: 'references'; range: Range; what: string; locations: Location[] }
  | { kind: 'jwks'; range: Range; cluster?: ClusterJwksTarget };

/** A cluster-local JWKS endpoint, checked through the API server's service proxy. */
export interface ClusterJwksTarget {
  jwksUri?: string;
  /** Without jwksUri: the issuer's OIDC discovery document. */
  discoveryUrl?: string;
  /** The RequestAuthentication's namespace (for single-label host names). */
  namespace: string;
}

export interface InlayHint {
  position: Position;
  label: string;
  tooltip: string;
}

/** A RequestAuthentication jwtRule of the workspace. */
export interface JwtRuleRef {
  namespace: string;
  name: string;
  ruleIndex: number;
}

export interface JwtRuleChoice extends JwtRuleRef {
  label: string;
  issuer: string;
  issuerMatches: boolean;
}

/** A report for a side document: a title and markdown content (never the whole token). */
export interface Report {
  title: string;
  content: string;
}

export interface DecodeReport extends Report {
  ok: boolean;
  issuer?: string;
  principal?: string;
  status?: 'valid' | 'expired' | 'not-yet-valid';
}

export interface VerifyParams {
  token: string;
  /** Omitted: the one rule whose issuer matches; several or none → `needsRule`. */
  rule?: JwtRuleRef;
}

export type VerifyReport =
  | { kind: 'needsRule'; candidates: JwtRuleChoice[]; reason: string }
  | ({ kind: 'verified'; ok: boolean; failed?: string; httpStatus?: number; signatureChecked: boolean } & Report);

/**
 * A proxy the simulator can target: a workload named by the selectors of the workspace's
 * policies (namespace + labels), or a Gateway API gateway / a Service through its waypoint named
 * by their targetRefs (`target`).
 */
export interface SimulationTarget {
  namespace: string;
  labels: Record<string, string>;
  label: string;
  selectedBy: string[];
  /** What to simulate against when it is not the workload `namespace` + `labels`. */
  target?: SimTarget;
}

export interface SimulateParams {
  method?: string;
  path?: string;
  host?: string;
  port?: number;
  target: SimTarget;
  token?: string;
}

export interface SimulateReport extends Report {
  status: 200 | 400 | 401 | 403;
  allowed: boolean;
  reason: string;
}

export interface ConversionNote {
  severity: 'information' | 'warning';
  code: string;
  message: string;
  line: number;
}

/** The removed-API conversion of a file: one edit over the changed span (null: nothing converts). */
export interface Conversion {
  edit: { range: Range; newText: string } | null;
  notes: ConversionNote[];
}
