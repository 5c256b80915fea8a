/**
 * False-positive and fixture tests on third-party manifests (test/fixtures/realworld, and the
 * unlicensed ones of ../shared/realworld when present; see ../helpers/realworld), through FileModel:
 * the full per-document pipeline (schema, semantic rules, inline JWKS).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../engine/src/diagnostics';
import { FileModel } from '../../engine/src/model/fileModel';
import { CURRENT_ISTIO_GROUPS, REMOVED_ISTIO_GROUPS } from '../../engine/src/model/resource';
import { HAS_SHARED_REALWORLD, readRealworld, realworldYamlFiles, skippedWithoutUnlicensed, UNLICENSED_FOLDERS } from '../helpers/realworld';

/**
 * Templated files have `{{ x }}` mapping keys; the yaml package's toJS (engine/src/model/parse.ts)
 * then emits a process warning per key. Keep only that warning out of the test output.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).startsWith('Keys with collection values will be stringified')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const FILES = realworldYamlFiles();

/** Manifests Istio 1.30 accepts (the README's "valid, current" sets). */
const ACCEPTED: RegExp[] = [
  /^istio-istio\/samples\/(?!bookinfo\/platform\/kube\/rbac\/)/,
  /^istio-istio\/pkg\/test\/datasets\/validation\/dataset\//,
  /^istio-istio\/pkg\/config\/validation\/testdata\/crds\/.*-valid\.yaml$/,
  /^auth0-blog-istio-auth0-integration\/security\//,
  /^walter-manger-istio-auth0-integration\/security\//,
  // garystafford, 2021 branches (v1beta1 and current v1alpha3 networking).
  /^garystafford-storefront-demo\/minikube\/resources\//,
  /^garystafford-storefront-demo\/gke\/resources\/other\/(confluent-cloud-external-mesh|istio-gateway-multi-ns)\.yaml$/,
  /^garystafford-k8s-istio-observe-backend\/resources\/dev\/istio\/destination-rules\.yaml$/,
  // Istio Succinctly: its networking documents (the legacy policy documents are checked below).
  /^Istio-Succinctly-Policies\//,
];

/**
 * Documented exceptions among the accepted sets: what the API server really does with them.
 *
 * - auth0-authn.yaml keeps the `{YOUR_DOMAIN}` placeholder inside its jwksUri. The CRD rule
 *   `url(self).getScheme() in ['http', 'https']` parses the URL with Go's net/url, which refuses
 *   "{" in a host name: the evaluation error makes the API server reject the object. A template,
 *   not a manifest: it gets one placeholder-value error (in place of that schema-cel error).
 */
const TEMPLATE_EXCEPTIONS: Record<string, { code: string; line: number }[]> = {
  'auth0-blog-istio-auth0-integration/security/auth0-authn.yaml': [{ code: 'placeholder-value', line: 8 }],
  // `<your_cluster_url...>` host placeholder: the ServiceEntry webhook rejects the host name (se-host-invalid, replaced).
  'garystafford-storefront-demo/gke/resources/other/confluent-cloud-external-mesh.yaml': [{ code: 'placeholder-value', line: 6 }],
};

function analyse(file: string, transform: (text: string) => string = (t) => t): { model: FileModel; findings: Finding[] } {
  const model = new FileModel();
  model.update(transform(readRealworld(file)));
  return { model, findings: model.findings() };
}

function errors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** Error findings of the file's current-API Istio documents (legacy documents in the same file excluded). */
function currentApiErrors(model: FileModel): Finding[] {
  const lines = model.documents
    .filter((d) => d.analysis.resource && CURRENT_ISTIO_GROUPS.has(d.analysis.resource.group))
    .map((d) => [d.segment.startLine, d.segment.startLine + d.segment.text.split('\n').length - 1]);
  return errors(model.findings()).filter((f) => lines.some(([a, b]) => f.range.start.line >= a && f.range.start.line < b));
}

/** Documents of removed API groups (authentication/rbac/config.istio.io). */
function legacyDocuments(model: FileModel): FileModel['documents'] {
  return model.documents.filter((d) => d.analysis.resource && REMOVED_ISTIO_GROUPS.has(d.analysis.resource.group));
}

function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${f.message}`).join('\n');
}

/** Replaces each `_err:` line (documentation of the expected error) by an empty line: lines stay put. */
function stripErr(text: string): string {
  return text.replace(/^_err:.*$/gm, '');
}

describe('real-world manifests Istio accepts', () => {
  const accepted = FILES.filter((f) => ACCEPTED.some((re) => re.test(f)));

  it('covers every accepted set', () => {
    const sets = ACCEPTED.filter((re) => HAS_SHARED_REALWORLD || !UNLICENSED_FOLDERS.some((d) => re.source.startsWith(`^${d}`)));
    for (const re of sets) assert.ok(FILES.some((f) => re.test(f)), `no file matches ${re}`);
    assert.ok(accepted.length >= 60, `only ${accepted.length} accepted files found`);
  });

  skippedWithoutUnlicensed('the accepted auth0-blog, walter-manger and Succinctly files: no error', 'their files');

  for (const file of accepted) {
    it(`${file}: no error`, () => {
      const { model } = analyse(file);
      const errs = currentApiErrors(model);
      const expected = TEMPLATE_EXCEPTIONS[file] ?? [];
      assert.deepEqual(
        errs.map((f) => ({ code: f.code, line: f.range.start.line })),
        expected,
        describeFindings(errs),
      );
    });
  }

  it('serviceentry-valid.yaml doc 0: `001:db8::` in a flow sequence is the string Kubernetes reads, with a warning', () => {
    // go-yaml (kubectl, the API server) ends a plain scalar at ":" only before a space, so
    // `[1.2.3.4, 001:db8::]` holds the string "001:db8::" (a valid IPv6 address): the API server accepts
    // the document. YAML 1.2 parsers (this one, yaml-language-server, PyYAML) read {"001:db8:": null};
    // that disagreement deserves a warning to quote it, not an error.
    const { findings } = analyse('istio-istio/pkg/config/validation/testdata/crds/serviceentry-valid.yaml');
    const ambiguous = findings.filter((f) => f.code === 'schema-ambiguous-scalar');
    assert.equal(ambiguous.length, 1, describeFindings(findings));
    assert.equal(ambiguous[0].severity, 'warning');
    assert.deepEqual(ambiguous[0].range, { start: { line: 10, character: 23 }, end: { line: 10, character: 32 } });
    assert.equal(ambiguous[0].fixes?.[0].edits[0].newText, '"001:db8::"');
  });
});

describe("Istio's *-invalid.yaml CRD fixtures", () => {
  const invalid = FILES.filter((f) => /testdata\/crds\/.*-invalid\.yaml$/.test(f));

  it('finds the five fixture files', () => {
    assert.equal(invalid.length, 5, invalid.join());
  });

  for (const file of invalid) {
    it(`${file}: every document (without _err) gets an error`, () => {
      const { model } = analyse(file, stripErr);
      const docs = model.documents.filter((d) => d.analysis.resource);
      assert.ok(docs.length > 0);
      for (const d of docs) {
        const errs = errors(d.analysis.findings);
        assert.ok(errs.length > 0, `document at line ${d.segment.startLine + 1} (${d.analysis.resource?.name}) has no error`);
        assert.ok(!errs.some((f) => f.code === 'schema-unknown-field' && f.message.includes('_err')), '_err was not stripped');
      }
    });
  }
});

describe('legacy and templated manifests', () => {
  it('every file is analysed without throwing; every legacy document gets a finding', () => {
    let legacy = 0;
    for (const file of FILES) {
      const { model } = analyse(file);
      for (const d of legacyDocuments(model)) {
        legacy++;
        assert.ok(d.analysis.findings.length > 0, `${file}: legacy document at line ${d.segment.startLine + 1} has no finding`);
      }
    }
    assert.ok(legacy >= 20, `only ${legacy} legacy documents`);
  });
  skippedWithoutUnlicensed('the rinormaloku, auth0-blog and Succinctly legacy and templated files', 'their files');

  const templated = FILES.filter((f) => /\{\{|\{YOUR_|\{ your_/.test(readRealworld(f)));
  it('templated files are found', () => assert.ok(templated.length >= 6, templated.join()));
  for (const file of templated) {
    it(`${file}: placeholders produce errors`, () => {
      assert.ok(errors(analyse(file).findings).length > 0);
    });
  }

  it('templated `{{ host }}` placeholders are reported as placeholders (rejected: a YAML mapping), not as type errors', () => {
    const { findings } = analyse('garystafford-k8s-istio-observe-backend/resources/dev/istio/gateway.yaml');
    const placeholders = findings.filter((f) => f.code === 'placeholder-value');
    assert.equal(placeholders.length, 2, describeFindings(findings));
    assert.equal(placeholders[0].severity, 'error');
    assert.match(placeholders[0].message, /^spec\.servers\[0\]\.hosts\[0\]: "\{\{ your_ui_hostname \}\}" is a placeholder/);
    assert.deepEqual(findings.filter((f) => f.code === 'schema-type'), []);
  });

  it('snake_case sni_hosts is an unknown field with a rename fix to sniHosts', () => {
    const { findings } = analyse('garystafford-storefront-demo/gke/_prelims/jwksuri-external-mesh.yaml');
    const unknown = findings.find((f) => f.code === 'schema-unknown-field' && f.message.includes('sni_hosts'));
    assert.ok(unknown, describeFindings(findings));
    assert.equal(unknown.fixes?.[0].edits[0].newText, 'sniHosts');
  });
});
