/** The subset of Kubernetes' JSONSchemaProps that Istio's CRDs use (structural schemas). */

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** One `x-kubernetes-validations` entry: a CEL rule attached to a schema node. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** JSONPath relative to the node, e.g. `.targetRef` (where the API server reports the failure). */
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

export interface JSONSchema {
  type?: SchemaType;
  description?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  properties?: Record<string, JSONSchema>;
  additionalProperties?: JSONSchema | boolean;
  items?: JSONSchema;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  oneOf?: JSONSchema[];
  anyOf?: JSONSchema[];
  allOf?: JSONSchema[];
  not?: JSONSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: ValidationRule[];
}

export interface VersionInfo {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
}

/** The content of schemas/<group>/<Kind>.json. */
export interface KindSchemaFile {
  group: string;
  kind: string;
  plural: string;
  scope: string;
  versions: VersionInfo[];
  /** Each distinct schema once, with the versions that use it. */
  schemas: Array<{ versions: string[]; openAPIV3Schema: JSONSchema }>;
}
