/**
 * TLS settings shared by Gateway (ServerTLSSettings: validation.go validateTLSOptions) and
 * DestinationRule (ClientTLSSettings: pkg/config/validation/agent/validation.go ValidateTLS;
 * analyzers/destinationrule/ca-certificates.go for IST0128/IST0129), plus certificate-path hints
 * beyond Istio. What the Gateway CRD's CEL rules reject (credentialName with credentialNames,
 * credentialNames with tlsCertificates) and its maxItems are left to the schema validator.
 */
import type { Path } from '../../model/locate';
import { defineRules, type Rule, type RuleContext } from '../rule';
import { asObj, hasItems, objItems, stringItems, type Obj } from './workload';
import { closestValue, replaceValueFix } from './hosts';

const VALIDATION = 'pkg/config/validation/validation.go';
const AGENT_VALIDATION = 'pkg/config/validation/agent/validation.go';

export interface TlsAt {
  tls: Obj;
  path: Path;
}

/** A non-empty string field (proto: the string is set). */
export function str(obj: Obj, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Where TLS settings live.

/** Gateway: spec.servers[i].tls. */
export function serverTlsOf(ctx: RuleContext): TlsAt[] {
  const out: TlsAt[] = [];
  for (const { item, index } of objItems(ctx.resource.spec.servers)) {
    const tls = asObj(item.tls);
    if (tls) out.push({ tls, path: ['spec', 'servers', index, 'tls'] });
  }
  return out;
}

export interface PolicyAt {
  policy: Obj;
  path: Path;
  /** True for spec.trafficPolicy and its port-level settings (what the IST0128/IST0129 analyzer reads). */
  topLevel: boolean;
  /** The port-level setting's port number, when the policy is a port-level one. */
  port?: unknown;
}

/** DestinationRule: every TrafficPolicy and port-level policy, top level and per subset. */
export function trafficPoliciesOf(ctx: RuleContext): PolicyAt[] {
  const out: PolicyAt[] = [];
  const add = (policy: Obj | undefined, path: Path, topLevel: boolean): void => {
    if (!policy) return;
    out.push({ policy, path, topLevel });
    for (const { item, index } of objItems(policy.portLevelSettings)) {
      out.push({ policy: item, path: [...path, 'portLevelSettings', index], topLevel, port: asObj(item.port)?.number });
    }
  };
  add(asObj(ctx.resource.spec.trafficPolicy), ['spec', 'trafficPolicy'], true);
  for (const { item, index } of objItems(ctx.resource.spec.subsets)) {
    add(asObj(item.trafficPolicy), ['spec', 'subsets', index, 'trafficPolicy'], false);
  }
  return out;
}

/** DestinationRule: every ClientTLSSettings, with whether it is one the IST0128/9 analyzer reads. */
export function clientTlsOf(ctx: RuleContext): Array<TlsAt & { topLevel: boolean; port?: unknown }> {
  const out: Array<TlsAt & { topLevel: boolean; port?: unknown }> = [];
  for (const p of trafficPoliciesOf(ctx)) {
    const tls = asObj(p.policy.tls);
    if (tls) out.push({ tls, path: [...p.path, 'tls'], topLevel: p.topLevel, port: p.port });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cipher suites and versions (pkg/config/security/security.go: ValidCipherSuites, IsValidCipherSuite).

export const VALID_CIPHER_SUITES: readonly string[] = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
];

export function isValidCipherSuite(cs: string): boolean {
  if (cs === '' || cs === 'ALL') return true;
  // Expressions starting with an operator (`-`, `+`, `!`, `[`) are passed through unchecked.
  if (!/^[\p{L}\p{N}]/u.test(cs)) return true;
  return VALID_CIPHER_SUITES.includes(cs);
}

const TLS_VERSION_ORDER: Readonly<Record<string, number>> = { TLSV1_0: 0, TLSV1_1: 1, TLSV1_2: 2, TLSV1_3: 3 };

// ---------------------------------------------------------------------------------------------
// Certificate paths (beyond Istio).

/** Where Istio and its charts mount certificates; anything else is worth a second look. */
export const STANDARD_CERT_DIRS: readonly string[] = ['/etc/istio/', '/etc/certs/', '/var/run/secrets/'];

const CERT_PATH_FIELDS = ['serverCertificate', 'privateKey', 'caCertificates', 'caCrl', 'clientCertificate'] as const;

/** A first path segment that looks like a typo of /etc (e.g. /ect, /etx), with the corrected path. */
function etcNearMiss(p: string): string | undefined {
  const m = /^\/([^/]+)\/(.*)$/.exec(p);
  if (!m || m[1] === 'etc') return undefined;
  const seg = m[1];
  const sameLetters = seg.length === 3 && [...seg].sort().join('') === 'cet';
  const oneEdit = closestValue(seg, ['etc'], 1) === 'etc';
  return sameLetters || oneEdit ? `/etc/${m[2]}` : undefined;
}

/** Why a certificate path is suspicious, with a corrected path when the fix is unambiguous. */
export function certPathProblem(field: string, p: string): { message: string; fixed?: string } | undefined {
  if (STANDARD_CERT_DIRS.some((d) => p.startsWith(d))) return undefined;
  const fixed = etcNearMiss(p);
  if (fixed && STANDARD_CERT_DIRS.some((d) => fixed.startsWith(d))) {
    return { message: `${field} '${p}' looks like a typo of '${fixed}': the proxy will not find the file and the listener or cluster will fail.`, fixed };
  }
  if (/^\/?etc\/istoi?o?\b|^\/etc\/isito|^\/etc\/itsio/.test(p) && !p.startsWith('/etc/istio/')) {
    return { message: `${field} '${p}' is close to Istio's /etc/istio/ mount point but does not match it; check the spelling.` };
  }
  return {
    message: `${field} '${p}' is outside Istio's standard certificate mounts (${STANDARD_CERT_DIRS.join(', ')}); make sure the file is mounted into the proxy, or prefer credentialName (a Kubernetes Secret) instead of file paths.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Rules.

type ServerMode = 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL' | string;

/** ServerTLSSettings.mode; the proto default (unset) is PASSTHROUGH. */
function serverMode(tls: Obj): ServerMode {
  return typeof tls.mode === 'string' && tls.mode !== '' ? tls.mode : 'PASSTHROUGH';
}

const CERT_FIELDS_ISTIO_MUTUAL: ReadonlyArray<[string, string]> = [
  ['serverCertificate', 'server certificate'],
  ['privateKey', 'private key'],
  ['caCertificates', 'CA bundle'],
  ['tlsCertificates', 'tlsCertificates'],
  ['credentialName', 'credentialName'],
  ['credentialNames', 'credentialNames'],
];

function isFieldSet(tls: Obj, key: string): boolean {
  return key === 'tlsCertificates' || key === 'credentialNames' ? hasItems(tls, key) : str(tls, key) !== undefined;
}

function usesCredentialName(tls: Obj): boolean {
  return str(tls, 'credentialName') !== undefined || hasItems(tls, 'credentialNames');
}

const isMutual = (mode: ServerMode): boolean => mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
const isTerminating = (mode: ServerMode): boolean => mode === 'SIMPLE' || isMutual(mode);

const serverTlsRules: Rule[] = [
  {
    code: 'tls-cipher-suite-invalid',
    severity: 'warning',
    kinds: ['Gateway'],
    summary: 'tls.cipherSuites lists a name Envoy does not know; istiod warns and ignores it.',
    source: `${VALIDATION}: validateTLSOptions (security.IsValidCipherSuite)`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        for (const { value, index } of stringItems(tls.cipherSuites)) {
          if (isValidCipherSuite(value)) continue;
          const fix = closestValue(value, VALID_CIPHER_SUITES, 3);
          ctx.report({
            path: [...path, 'cipherSuites', index],
            message: `Cipher suite '${value}' is not supported and will be ignored${fix ? ` (did you mean ${fix}?)` : ''}. Valid names include ECDHE-ECDSA-AES256-GCM-SHA384 and ECDHE-RSA-AES128-GCM-SHA256 (OpenSSL names).`,
            fixes: fix ? [replaceValueFix(ctx, [...path, 'cipherSuites', index], fix)] : undefined,
          });
        }
      }
    },
  },
  {
    code: 'tls-cipher-suite-duplicate',
    severity: 'warning',
    kinds: ['Gateway'],
    summary: 'tls.cipherSuites lists the same cipher twice; istiod warns and ignores the duplicate.',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const seen = new Set<string>();
        for (const { value, index } of stringItems(tls.cipherSuites)) {
          if (!isValidCipherSuite(value)) continue;
          if (seen.has(value)) ctx.report({ path: [...path, 'cipherSuites', index], message: `Cipher suite '${value}' is listed more than once; remove the duplicate.` });
          seen.add(value);
        }
      }
    },
  },
  {
    code: 'tls-legacy-version-ciphers',
    severity: 'warning',
    kinds: ['Gateway'],
    summary: 'minProtocolVersion TLSV1_0/TLSV1_1 without cipherSuites: the default ciphers no longer include compatible ones.',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && !hasItems(tls, 'cipherSuites')) {
          ctx.report({
            path: [...path, 'minProtocolVersion'],
            message: `minProtocolVersion ${tls.minProtocolVersion} needs cipherSuites that TLS 1.0/1.1 clients support (e.g. ECDHE-RSA-AES128-SHA): Envoy's defaults no longer include any, so old clients cannot connect.`,
          });
        }
      }
    },
  },
  {
    code: 'tls-version-range',
    severity: 'warning',
    kinds: ['Gateway'],
    summary: 'minProtocolVersion is higher than maxProtocolVersion, so no TLS version can be negotiated (Envoy rejects the listener).',
    source: 'Envoy TlsParameters (tls_minimum_protocol_version <= tls_maximum_protocol_version); istiod does not check it',
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const min = TLS_VERSION_ORDER[String(tls.minProtocolVersion)];
        const max = TLS_VERSION_ORDER[String(tls.maxProtocolVersion)];
        if (min === undefined || max === undefined || min <= max) continue;
        ctx.report({
          path: [...path, 'minProtocolVersion'],
          message: `minProtocolVersion ${tls.minProtocolVersion} is higher than maxProtocolVersion ${tls.maxProtocolVersion}; set minProtocolVersion <= maxProtocolVersion.`,
        });
      }
    },
  },
  {
    code: 'tls-istio-mutual-certificates',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'ISTIO_MUTUAL uses Istio-issued certificates; setting certificates or credentials is rejected.',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        if (serverMode(tls) !== 'ISTIO_MUTUAL') continue;
        for (const [key, label] of CERT_FIELDS_ISTIO_MUTUAL) {
          if (!isFieldSet(tls, key)) continue;
          ctx.report({ path: [...path, key], target: 'key', message: `ISTIO_MUTUAL TLS cannot have an associated ${label}: it uses the proxy's Istio certificates. Remove ${key}, or use mode MUTUAL to bring your own.` });
        }
      }
    },
  },
  {
    code: 'tls-passthrough-certificates',
    severity: 'warning',
    kinds: ['Gateway'],
    summary: 'PASSTHROUGH/AUTO_PASSTHROUGH (the default mode) do not terminate TLS; certificates are ignored (istiod warns).',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const mode = serverMode(tls);
        if (mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH') continue;
        const set = ['caCrl', 'serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'].filter((k) => isFieldSet(tls, k));
        if (set.length === 0) continue;
        const implicit = tls.mode === undefined || tls.mode === null || tls.mode === '';
        ctx.report({
          path: implicit ? [...path, set[0]] : [...path, 'mode'],
          target: implicit ? 'key' : 'value',
          message: `${mode} mode does not use certificates; ${set.join(', ')} will be ignored.${implicit ? ' tls.mode is not set and defaults to PASSTHROUGH: set mode: SIMPLE (or MUTUAL) to terminate TLS with these certificates.' : ''}`,
        });
      }
    },
  },
  {
    code: 'tls-certificate-source-conflict',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'More than one certificate source (credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates) is set.',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const sources: string[] = [];
        if (str(tls, 'serverCertificate') && str(tls, 'privateKey')) sources.push('serverCertificate');
        if (str(tls, 'credentialName')) sources.push('credentialName');
        if (hasItems(tls, 'credentialNames')) sources.push('credentialNames');
        if (hasItems(tls, 'tlsCertificates')) sources.push('tlsCertificates');
        if (sources.length < 2) continue;
        const pair = sources.join('+');
        // The CRD's CEL rules already reject exactly these two combinations.
        if (sources.length === 2 && (pair === 'credentialName+credentialNames' || pair === 'credentialNames+tlsCertificates')) continue;
        ctx.report({
          path: [...path, sources[1]],
          target: 'key',
          message: `Only one certificate source may be set, found ${sources.map((s) => (s === 'serverCertificate' ? 'serverCertificate/privateKey' : s)).join(' and ')}; keep one of credentialName, credentialNames, serverCertificate/privateKey or tlsCertificates.`,
        });
      }
    },
  },
  {
    code: 'tls-mutual-needs-ca',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'MUTUAL/OPTIONAL_MUTUAL with file certificates needs caCertificates to verify clients.',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const mode = serverMode(tls);
        if (!isMutual(mode) || usesCredentialName(tls) || str(tls, 'caCertificates')) continue;
        ctx.report({
          path: [...path, 'mode'],
          message: `${mode} TLS requires a client CA bundle: set caCertificates (e.g. /etc/istio/ingressgateway-ca-certs/ca-chain.cert.pem), or use credentialName with a Secret that holds ca.crt.`,
        });
      }
    },
  },
  {
    code: 'tls-needs-server-certificate',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'SIMPLE/MUTUAL/OPTIONAL_MUTUAL without credentialName needs serverCertificate and privateKey (or in each tlsCertificates entry).',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const mode = serverMode(tls);
        if (!isTerminating(mode) || usesCredentialName(tls)) continue;
        const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
        const certs = objItems(tls.tlsCertificates);
        const targets: Array<{ cert: Obj; at: Path }> = certs.length > 0 ? certs.map(({ item, index }) => ({ cert: item, at: [...path, 'tlsCertificates', index] })) : [{ cert: tls, at: path }];
        for (const { cert, at } of targets) {
          const missing = ['serverCertificate', 'privateKey'].filter((k) => !str(cert, k));
          if (missing.length === 0) continue;
          ctx.report({
            path: certs.length > 0 ? at : [...path, 'mode'],
            message: `${prefix} requires ${missing.join(' and ')}: set credentialName to a Kubernetes Secret (recommended), or both serverCertificate and privateKey file paths.`,
          });
        }
      }
    },
  },
  {
    code: 'tls-crl-unsupported',
    severity: 'error',
    kinds: ['Gateway'],
    summary: 'caCrl cannot be combined with credentialName (put the CRL in the Secret) or with SIMPLE mode.',
    source: `${VALIDATION}: validateTLSOptions`,
    check(ctx) {
      for (const { tls, path } of serverTlsOf(ctx)) {
        const mode = serverMode(tls);
        // istiod stops before the CRL checks for ISTIO_MUTUAL and for terminating modes with credentials.
        if (!str(tls, 'caCrl') || mode === 'ISTIO_MUTUAL' || (isTerminating(mode) && usesCredentialName(tls))) continue;
        if (str(tls, 'credentialName')) {
          ctx.report({ path: [...path, 'caCrl'], target: 'key', message: 'caCrl is not supported with credentialName: put the CRL in the credential Secret (key ca.crl) instead.' });
        }
        if (mode === 'SIMPLE') {
          ctx.report({ path: [...path, 'caCrl'], target: 'key', message: 'caCrl is not supported with SIMPLE TLS (no client certificates are verified); use MUTUAL or remove caCrl.' });
        }
      }
    },
  },
];

/** ClientTLSSettings.mode; the proto default (unset) is DISABLE. */
function clientMode(tls: Obj): string {
  return typeof tls.mode === 'string' && tls.mode !== '' ? tls.mode : 'DISABLE';
}

function insecureSkipVerify(tls: Obj): boolean {
  return tls.insecureSkipVerify === true;
}

const clientTlsRules: Rule[] = [
  {
    code: 'tls-client-credential-conflict',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'SIMPLE/MUTUAL with credentialName cannot also set clientCertificate, privateKey, caCertificates or caCrl.',
    source: `${AGENT_VALIDATION}: ValidateTLS`,
    check(ctx) {
      for (const { tls, path } of clientTlsOf(ctx)) {
        const mode = clientMode(tls);
        if ((mode !== 'SIMPLE' && mode !== 'MUTUAL') || !str(tls, 'credentialName')) continue;
        for (const key of ['clientCertificate', 'caCertificates', 'privateKey', 'caCrl']) {
          if (!str(tls, key)) continue;
          ctx.report({ path: [...path, key], target: 'key', message: `${key} cannot be set together with credentialName: the Secret named by credentialName supplies the certificates. Remove ${key} or credentialName.` });
        }
      }
    },
  },
  {
    code: 'tls-client-mutual-needs-certificate',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'MUTUAL without credentialName needs clientCertificate and privateKey.',
    source: `${AGENT_VALIDATION}: ValidateTLS`,
    check(ctx) {
      for (const { tls, path } of clientTlsOf(ctx)) {
        if (clientMode(tls) !== 'MUTUAL' || str(tls, 'credentialName')) continue;
        const missing = ['clientCertificate', 'privateKey'].filter((k) => !str(tls, k));
        if (missing.length === 0) continue;
        ctx.report({
          path: [...path, 'mode'],
          message: `mutual TLS requires ${missing.join(' and ')}: set both file paths, use credentialName (a Secret with tls.crt/tls.key), or use ISTIO_MUTUAL for in-mesh destinations.`,
        });
      }
    },
  },
  {
    code: 'tls-insecure-skip-verify-conflict',
    severity: 'error',
    kinds: ['DestinationRule'],
    summary: 'insecureSkipVerify: true cannot be combined with the verification settings it disables.',
    source: `${AGENT_VALIDATION}: ValidateTLS`,
    check(ctx) {
      for (const { tls, path } of clientTlsOf(ctx)) {
        if (!insecureSkipVerify(tls)) continue;
        const mode = clientMode(tls);
        const keys = mode === 'SIMPLE' ? ['caCertificates', 'credentialName', 'subjectAltNames'] : mode === 'MUTUAL' ? ['caCertificates', 'subjectAltNames'] : [];
        const set = keys.filter((k) => (k === 'subjectAltNames' ? tls[k] !== undefined && tls[k] !== null : str(tls, k)));
        if (set.length === 0) continue;
        ctx.report({
          path: [...path, 'insecureSkipVerify'],
          message: `insecureSkipVerify: true cannot be combined with ${set.join(', ')} in ${mode} mode; remove insecureSkipVerify to verify the server, or remove ${set.join(', ')}.`,
        });
      }
    },
  },
  {
    code: 'tls-no-server-verification',
    severity: 'warning',
    kinds: ['DestinationRule'],
    summary: 'SIMPLE/MUTUAL TLS without caCertificates: the server certificate is not verified (IST0128, IST0129 at port level).',
    source: 'pkg/config/analysis/analyzers/destinationrule/ca-certificates.go',
    check(ctx) {
      const hasSelector = asObj(ctx.resource.spec.workloadSelector) !== undefined;
      for (const { tls, path, topLevel, port } of clientTlsOf(ctx)) {
        const mode = clientMode(tls);
        if (!topLevel || (mode !== 'SIMPLE' && mode !== 'MUTUAL')) continue;
        if (str(tls, 'caCertificates') || (str(tls, 'credentialName') && hasSelector)) continue;
        const host = String(ctx.resource.spec.host ?? '');
        const at = port !== undefined ? ` at port ${String(port)}` : '';
        ctx.report({
          path: [...path, 'mode'],
          istioCode: port !== undefined || path.includes('portLevelSettings') ? 'IST0129' : 'IST0128',
          message: `TLS mode ${mode} without caCertificates: the server certificate of ${host}${at} is not verified. Set caCertificates (e.g. /etc/ssl/certs/ca-certificates.crt) or a credentialName whose Secret has ca.crt.`,
        });
      }
    },
  },
];

const certPathRule: Rule = {
  code: 'tls-certificate-path',
  severity: 'warning',
  kinds: ['Gateway', 'DestinationRule'],
  summary: 'A certificate file path is outside the mounts Istio uses (/etc/istio/, /etc/certs/, /var/run/secrets/) or misspells /etc.',
  source: 'Beyond Istio: common tutorial mistakes (e.g. /ect/istio/...)',
  check(ctx) {
    const locations: TlsAt[] = ctx.resource.kind === 'Gateway' ? serverTlsOf(ctx) : clientTlsOf(ctx);
    for (const { tls, path } of locations) {
      const entries: Array<{ obj: Obj; at: Path }> = [{ obj: tls, at: path }];
      for (const { item, index } of objItems(tls.tlsCertificates)) entries.push({ obj: item, at: [...path, 'tlsCertificates', index] });
      for (const { obj, at } of entries) {
        for (const field of CERT_PATH_FIELDS) {
          const value = str(obj, field);
          if (!value || !value.startsWith('/')) continue;
          const problem = certPathProblem(field, value);
          if (!problem) continue;
          const fixPath = [...at, field];
          ctx.report({
            path: fixPath,
            message: problem.message,
            fixes: problem.fixed ? [replaceValueFix(ctx, fixPath, problem.fixed)] : undefined,
          });
        }
      }
    }
  },
};

export const tlsRules = defineRules([...serverTlsRules, ...clientTlsRules, certPathRule]);
