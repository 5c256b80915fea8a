/**
 * CEL object types for the Kubernetes library's opaque values (kubernetes.URL,
 * kubernetes.Quantity, net.IP, net.CIDR). @bufbuild/cel represents object values as protobuf
 * messages, so each opaque type is a one-field message holding its source text;
 * the library functions re-parse that text when asked for a part.
 */
import { create, createFileRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { objectType, type CelObjectType } from '@bufbuild/cel';

const TYPE_STRING = 9;
const LABEL_OPTIONAL = 1;

function opaqueFile(pkg: string, names: string[]) {
  return create(FileDescriptorProtoSchema, {
    name: `istio_sec_cel_${pkg}.proto`,
    package: pkg,
    syntax: 'proto3',
    messageType: names.map((name) => ({
      name,
      field: [{ name: 'text', number: 1, type: TYPE_STRING, label: LABEL_OPTIONAL, jsonName: 'text' }],
    })),
  });
}

const kubernetesFile = createFileRegistry(opaqueFile('kubernetes', ['URL', 'Quantity']), () => undefined);
const netFile = createFileRegistry(opaqueFile('net', ['IP', 'CIDR']), () => undefined);

/** Registry holding every opaque type, for celEnv({ registry }). */
export const opaqueRegistry: Registry = createFileRegistry(kubernetesFile, netFile);

function descOf(typeName: string): DescMessage {
  const desc = opaqueRegistry.getMessage(typeName);
  if (desc === undefined) throw new Error(`opaque CEL type ${typeName} not registered`);
  return desc;
}

export interface OpaqueType {
  readonly celType: CelObjectType;
  /** A message value of this type carrying `text`. */
  make(text: string): unknown;
}

function opaqueType(typeName: string): OpaqueType {
  const desc = descOf(typeName);
  return { celType: objectType(desc), make: (text) => create(desc, { text }) };
}

export const URL_TYPE = opaqueType('kubernetes.URL');
export const QUANTITY_TYPE = opaqueType('kubernetes.Quantity');
export const IP_TYPE = opaqueType('net.IP');
export const CIDR_TYPE = opaqueType('net.CIDR');

/** Whether a ReflectMessage is one of the opaque types above. */
export function isOpaque(value: { desc: DescMessage }): boolean {
  return value.desc.file.proto.name.startsWith('istio_sec_cel_');
}

/** The text inside an opaque value (the `this` of a method, a ReflectMessage). */
export function opaqueText(value: unknown): string {
  const message = (value as { message?: { text?: unknown } }).message;
  if (typeof message?.text !== 'string') throw new Error('not an opaque CEL value');
  return message.text;
}
