import { AnalysisHost, DEFAULT_HOST_SETTINGS, DEFAULT_PATH_NORMALIZATION, PATH_NORMALIZATIONS, type ObjectRef, type PathNormalization, type SimRequest, type SimTarget, type SimulationResult } from '../../../engine/src/host/index';
import { parseCliArgs } from '../args';
import { collectInputs, displayPath, readInput } from '../files';
import { EXIT, UsageError, type Command } from '../io';
import { printable, printablePath } from '../printable';

export const SIMULATE_USAGE = `Usage: istio-sec simulate [options] <manifest file or dir>...
Simulates one request against the RequestAuthentication and AuthorizationPolicy resources in the
manifests, with Istio's semantics, as the proxy that receives it would decide, and prints
{"status", "allowed", "reason", "matchedPolicy", "signatureChecked", "trace"}. The proxy is one of:
  a workload's sidecar      --namespace NS --labels k=v,...   (policies attach by selector)
  a Gateway API gateway     --gateway NS/NAME [--labels ...]  (targetRefs to the Gateway, or selector)
  a waypoint                --service NS/NAME [--waypoint NS/NAME] (targetRefs to the Service, the
                            waypoint Gateway or the istio-waypoint GatewayClass); without --waypoint,
                            the istio.io/use-waypoint label of the Service or Namespace in the manifests
                            names it. --service-entry NS/NAME for a ServiceEntry destination.
A NAME without NS/ is in --namespace.

Options:
  --token <jwt> | --token-file <path>   JWT sent as "Authorization: Bearer <jwt>"
  --method M  --path P  --host H  --port N
  --namespace NS                        workload namespace (default: default)
  --labels k=v,...                      workload labels (with --gateway: extra pod labels)
  --gateway NS/NAME                     a Gateway API Gateway
  --service NS/NAME | --service-entry NS/NAME   the destination, through its waypoint
  --waypoint NS/NAME                    the waypoint Gateway (class istio-waypoint)
  --header name:value                   request header (repeatable)
  --source-principal P                  mTLS peer, e.g. cluster.local/ns/foo/sa/sleep
  --source-namespace NS  --source-ip IP
  --root-namespace NS                   Istio root namespace (default: istio-system)
  --path-normalization MODE             the mesh's meshConfig.pathNormalization: NONE, BASE (Istio's
                                        default), MERGE_SLASHES or DECODE_AND_MERGE_SLASHES
  --format json|text                    output (default: json)
  --offline                             do not fetch jwksUri / OIDC keys (signatures not checked:
                                        "signatureChecked": false)
Exit status: 0 whatever the decision, 2 usage or internal failure.`;

function parsePathNormalization(value: string | undefined): PathNormalization {
  if (value === undefined) return DEFAULT_PATH_NORMALIZATION;
  const mode = value.toUpperCase();
  if (!(PATH_NORMALIZATIONS as readonly string[]).includes(mode)) throw new UsageError(`--path-normalization: ${JSON.stringify(value)} is not one of ${PATH_NORMALIZATIONS.join(', ')}`);
  return mode as PathNormalization;
}

function parseLabels(spec: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--labels: ${JSON.stringify(part)} is not key=value`);
    labels[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return labels;
}

function parseHeaders(specs: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const spec of specs) {
    const colon = spec.indexOf(':', spec.startsWith(':') ? 1 : 0);
    if (colon <= 0) throw new UsageError(`--header: ${JSON.stringify(spec.slice(0, 40))} is not name:value`);
    const name = spec.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(spec.slice(colon + 1).trim());
  }
  return headers;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port: ${JSON.stringify(value)} is not a port number (0-65535)`);
  return Number(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `ns/name`, or `name` in the default namespace. */
function parseRef(flag: string, value: string, namespace: string): ObjectRef {
  const slash = value.indexOf('/');
  const ref = slash === -1 ? { namespace, name: value } : { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
  if (!DNS_LABEL.test(ref.namespace) || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ref.name)) throw new UsageError(`--${flag}: ${JSON.stringify(value)} is not NAMESPACE/NAME`);
  return ref;
}

interface TargetOptions {
  namespace?: string;
  labels?: string;
  gateway?: string;
  service?: string;
  'service-entry'?: string;
  waypoint?: string;
}

/** The proxy named by the options: a gateway, a waypoint (service and/or waypoint), else a workload. */
function parseTarget(v: TargetOptions): SimTarget {
  const namespace = v.namespace ?? 'default';
  const labels = parseLabels(v.labels);
  const destinations = [v.service !== undefined, v['service-entry'] !== undefined].filter(Boolean).length;
  if (destinations > 1) throw new UsageError('use either --service or --service-entry, not both');
  const throughWaypoint = destinations > 0 || v.waypoint !== undefined;
  if (v.gateway !== undefined && throughWaypoint) throw new UsageError('--gateway names an ingress gateway; --service, --service-entry and --waypoint a waypoint: use one or the other');
  if (v.gateway !== undefined) return { kind: 'gateway', ...parseRef('gateway', v.gateway, namespace), labels };
  if (!throughWaypoint) return { namespace, labels };
  if (v.labels !== undefined) throw new UsageError('--labels names a workload or gateway pods; a waypoint is named with --waypoint');
  const service = v.service !== undefined ? { ...parseRef('service', v.service, namespace), kind: 'Service' as const } : v['service-entry'] !== undefined ? { ...parseRef('service-entry', v['service-entry'], namespace), kind: 'ServiceEntry' as const } : undefined;
  return { kind: 'waypoint', service, waypoint: v.waypoint !== undefined ? parseRef('waypoint', v.waypoint, namespace) : undefined };
}

/** The text format: every value from the manifests and the request escaped (see printable.ts). */
function formatText(r: SimulationResult): string {
  const unchecked = r.signatureChecked === false ? '\nsignature NOT checked (the key set could not be fetched)' : '';
  const head = `${r.status} ${r.allowed ? 'ALLOWED' : 'DENIED'}: ${printable(r.reason)}${unchecked}`;
  const policy = r.matchedPolicy ? `\nmatched: ${r.matchedPolicy.action} ${printable(`${r.matchedPolicy.namespace}/${r.matchedPolicy.name}`)} rules[${r.matchedPolicy.rule}]` : '';
  return `${head}${policy}\n\ntrace:\n${r.trace.map((t) => `  - ${printable(t)}`).join('\n')}\n`;
}

export const simulate: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs({
    args,
    allowPositionals: true,
    options: {
      token: { type: 'string' },
      'token-file': { type: 'string' },
      method: { type: 'string' },
      path: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      namespace: { type: 'string', default: 'default' },
      labels: { type: 'string' },
      gateway: { type: 'string' },
      service: { type: 'string' },
      'service-entry': { type: 'string' },
      waypoint: { type: 'string' },
      header: { type: 'string', multiple: true, default: [] },
      'source-principal': { type: 'string' },
      'source-namespace': { type: 'string' },
      'source-ip': { type: 'string' },
      'root-namespace': { type: 'string' },
      'path-normalization': { type: 'string' },
      format: { type: 'string', default: 'json' },
      offline: { type: 'boolean', default: false },
    },
  });
  if (values.format !== 'json' && values.format !== 'text') throw new UsageError(`unknown --format '${values.format}' (expected json or text)`);
  if (values.token !== undefined && values['token-file'] !== undefined) throw new UsageError('use either --token or --token-file, not both');
  if (positionals.length === 0) throw new UsageError('simulate needs at least one manifest file or directory');
  const pathNormalization = parsePathNormalization(values['path-normalization']);
  const inputs = collectInputs(positionals, io.cwd);
  for (const s of inputs.skipped) io.stderr(`istio-sec simulate: skipped ${printablePath(displayPath(s.path, io.cwd))}: ${s.reason}\n`);
  const files = inputs.files;
  const token = values['token-file'] !== undefined ? readInput(values['token-file'], io.cwd).trim() : values.token;
  const request: SimRequest = {
    method: values.method,
    path: values.path,
    host: values.host,
    port: parsePort(values.port),
    headers: parseHeaders(values.header ?? []),
    sourcePrincipal: values['source-principal'],
    sourceNamespace: values['source-namespace'],
    sourceIp: values['source-ip'],
    token,
  };
  const target = parseTarget(values);
  const host = new AnalysisHost({ settings: { ...DEFAULT_HOST_SETTINGS, rootNamespace: values['root-namespace'] ?? DEFAULT_HOST_SETTINGS.rootNamespace, network: { offline: values.offline === true } } });
  for (const file of files) host.setFile(file, readInput(file, io.cwd));
  const result = await host.simulateRequest(target, request, { pathNormalization });
  host.dispose();
  const { status, allowed, reason, matchedPolicy, signatureChecked, trace } = result;
  io.stdout(values.format === 'text' ? formatText(result) : `${JSON.stringify({ status, allowed, reason, matchedPolicy, signatureChecked, trace }, null, 2)}\n`);
  return EXIT.ok;
};
