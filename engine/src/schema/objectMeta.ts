/**
 * The part of Kubernetes' ObjectMeta a manifest may set, as a schema (for validation, completion
 * and hover). Fields the server owns (uid, resourceVersion...) are known so they are not flagged
 * as unknown, and described as server-set.
 */
import type { JSONSchema } from './types';

const STRING_MAP: JSONSchema = { type: 'object', additionalProperties: { type: 'string' } };

function serverSet(type: JSONSchema['type'], what: string): JSONSchema {
  return { type, description: `${what} Set by the server; ignored or rejected in manifests you apply.` };
}

export const OBJECT_META_SCHEMA: JSONSchema = {
  type: 'object',
  description: "Standard Kubernetes object metadata: name, namespace, labels and annotations.",
  properties: {
    name: {
      type: 'string',
      description:
        'Name of the object, unique within its namespace: a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters).',
    },
    generateName: {
      type: 'string',
      description: 'Prefix the server uses to generate a unique name when name is not set (create only).',
    },
    namespace: {
      type: 'string',
      description:
        'Namespace of the object: a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters). Defaults to the namespace of the kubectl context.',
    },
    labels: { ...STRING_MAP, description: 'Map of string keys and values used to select and organise objects.' },
    annotations: { ...STRING_MAP, description: 'Map of string keys and values for tools and extensions (not used for selection).' },
    finalizers: { type: 'array', items: { type: 'string' }, description: 'Finalizers that must be removed before the object is deleted.' },
    ownerReferences: {
      type: 'array',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      description: 'Objects this object depends on (garbage collection).',
    },
    uid: serverSet('string', 'Unique identifier of the object.'),
    resourceVersion: serverSet('string', 'Internal version of the object, for optimistic concurrency.'),
    generation: serverSet('integer', 'Sequence number of the desired state.'),
    creationTimestamp: { ...serverSet('string', 'When the object was created.'), nullable: true },
    deletionTimestamp: { ...serverSet('string', 'When the object will be deleted.'), nullable: true },
    deletionGracePeriodSeconds: serverSet('integer', 'Seconds allowed for graceful termination.'),
    managedFields: {
      ...serverSet('array', 'Field ownership for server-side apply.'),
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
    selfLink: serverSet('string', 'Deprecated URL of the object.'),
  },
};
