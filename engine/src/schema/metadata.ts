/**
 * ObjectMeta checks the API server makes on every custom resource (ValidateObjectMeta): a name or
 * generateName, DNS-1123 names and namespaces, label and annotation keys and values.
 * Types and unknown fields are checked by the schema walk (objectMeta.ts).
 */
import type { Finding } from '../diagnostics';
import type { Path } from '../model/locate';
import type { ParsedDoc } from '../model/parse';
import { isObject } from './valueTypes';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOTAL_ANNOTATION_BYTES = 256 * 1024;

/** Why a name is not a DNS-1123 subdomain, or undefined when it is one. */
export function dns1123SubdomainError(name: string): string | undefined {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "must consist of lowercase alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
  }
  return undefined;
}

export function dns1123LabelError(name: string): string | undefined {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name)) {
    return "must consist of lowercase alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name')";
  }
  return undefined;
}

/** Why a label or annotation key is not a qualified name ([prefix/]name), or undefined. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "must be a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') return 'prefix part must be non-empty';
    const prefixError = dns1123SubdomainError(parts[0]);
    if (prefixError) return `prefix part ${prefixError}`;
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name', '123-abc')";
  }
  return undefined;
}

export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function finding(doc: ParsedDoc, code: string, message: string, path: Path, target: 'key' | 'value' = 'value'): Finding {
  return { code, severity: 'error', message, range: doc.rangeOf(path, target) };
}

function checkStringMap(doc: ParsedDoc, meta: Record<string, unknown>, field: 'labels' | 'annotations', out: Finding[]): void {
  const map = meta[field];
  if (!isObject(map)) return;
  const code = field === 'labels' ? 'metadata-label-invalid' : 'metadata-annotation-invalid';
  let total = 0;
  for (const [key, value] of Object.entries(map)) {
    const keyError = qualifiedNameError(field === 'labels' ? key : key.toLowerCase());
    if (keyError) out.push(finding(doc, code, `metadata.${field}: key "${key}" is invalid: ${keyError}.`, ['metadata', field, key], 'key'));
    if (typeof value !== 'string') continue;
    total += key.length + value.length;
    const valueError = field === 'labels' ? labelValueError(value) : undefined;
    if (valueError) out.push(finding(doc, code, `metadata.labels[${key}]: value ${JSON.stringify(value)} is invalid: ${valueError}.`, ['metadata', field, key]));
  }
  if (total > TOTAL_ANNOTATION_BYTES && field === 'annotations') {
    out.push(finding(doc, code, `metadata.annotations: total size ${total} bytes is more than the ${TOTAL_ANNOTATION_BYTES} the API server accepts.`, ['metadata', 'annotations'], 'key'));
  }
}

export function checkMetadata(doc: ParsedDoc, object: Record<string, unknown>, out: Finding[]): void {
  const meta = object.metadata;
  if (!isObject(meta)) {
    if (meta === undefined || meta === null) {
      const at: Path = 'metadata' in object ? ['metadata'] : ['kind'];
      out.push(finding(doc, 'metadata-name-missing', 'metadata.name is required: add metadata with a name (or generateName).', at, 'key'));
    }
    return;
  }
  const { name, generateName, namespace } = meta;
  if (typeof name === 'string' && name !== '') {
    const err = dns1123SubdomainError(name);
    if (err) out.push(finding(doc, 'metadata-name-invalid', `metadata.name ${JSON.stringify(name)} is invalid: a DNS-1123 subdomain ${err}.`, ['metadata', 'name']));
  } else if (typeof generateName === 'string' && generateName !== '') {
    const err = dns1123SubdomainError(generateName.replace(/-$/, '') || 'a');
    if (err) out.push(finding(doc, 'metadata-name-invalid', `metadata.generateName ${JSON.stringify(generateName)} is invalid: a DNS-1123 subdomain prefix ${err}.`, ['metadata', 'generateName']));
  } else if (name === undefined || name === null || name === '') {
    out.push(finding(doc, 'metadata-name-missing', 'metadata.name is required: add a name (a DNS-1123 subdomain such as my-policy) or generateName.', ['metadata', 'name'], 'key'));
  }
  if (typeof namespace === 'string' && namespace !== '') {
    const err = dns1123LabelError(namespace);
    if (err) out.push(finding(doc, 'metadata-namespace-invalid', `metadata.namespace ${JSON.stringify(namespace)} is invalid: a DNS-1123 label ${err}.`, ['metadata', 'namespace']));
  }
  checkStringMap(doc, meta, 'labels', out);
  checkStringMap(doc, meta, 'annotations', out);
}
