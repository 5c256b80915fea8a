import type { GeneratedDoc, KeyComment, MigrationNote } from '../../legacy/convert/types';
import type { Path } from '../../model/locate';
import type { ParsedDoc } from '../../model/parse';
import type { Obj } from './common';

export type { GeneratedDoc, KeyComment, MigrationNote };

export interface GatewayApiOptions {
  /** Namespace of documents without metadata.namespace. Default "default". */
  defaultNamespace?: string;
  /** Istio's root namespace (mesh-wide policies). Default istio-system. */
  rootNamespace?: string;
  /** Convert only these Istio Gateways (`namespace/name`); default: every one of the inputs. */
  gateways?: ReadonlySet<string>;
}

/** One Kubernetes document of the inputs that the conversion reads. */
export interface SourceDoc {
  doc: ParsedDoc;
  group: string;
  kind: string;
  name: string;
  /** metadata.namespace as written. */
  namespace: string | undefined;
  /** The effective namespace (the default one when absent). */
  ns: string;
  spec: Obj;
  object: Obj;
}

/** A Gateway API listener made from an Istio Gateway server host. */
export interface ListenerInfo {
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'TLS';
  /** undefined: every hostname. */
  hostname?: string;
  /** An HTTP server with tls.httpsRedirect: only the redirect route attaches to it. */
  redirect: boolean;
}

/** An Istio Gateway being converted: what its routes and policies need to know. */
export interface ConvertedGateway {
  source: SourceDoc;
  namespace: string;
  name: string;
  selector: Record<string, string>;
  listeners: ListenerInfo[];
  /** The Istio Gateway stays for these servers (no Gateway API form in Istio 1.30). */
  keptServers: number[];
}

export function gatewayKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The replacement of one source document: generated documents (empty: left unchanged). */
export interface Replacement {
  docs: GeneratedDoc[];
}

export interface ConversionContext {
  rootNamespace: string;
  defaultNamespace: string;
  /** The Istio Gateways being converted, by `namespace/name`. */
  converted: ReadonlyMap<string, ConvertedGateway>;
  /** Istio Gateways of the inputs left as they are (their selectors keep old policies useful). */
  untouched: readonly SourceDoc[];
  /** The port numbers of a Kubernetes Service of the inputs, if it is there. */
  servicePorts(namespace: string, name: string): number[] | undefined;
  /** `kind/namespace/name` of every object of the inputs and of those generated so far. */
  taken: Set<string>;
  note(src: SourceDoc, path: Path, code: string, severity: MigrationNote['severity'], message: string): void;
  /** The ReferenceGrant that lets routes of `from` reach Services of `to` (created once, shared). */
  grant(fromNamespace: string, routeKind: string, toNamespace: string, service: string): GeneratedDoc | undefined;
}

/** A generated document with its comments. */
export function generated(object: Obj, header: string[] = [], comments: KeyComment[] = []): GeneratedDoc {
  return { object, header, comments };
}
