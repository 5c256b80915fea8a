#!/usr/bin/env node
// Generates schemas/<group>/<Kind>.json and schemas/index.json from Istio's CRDs
// (../shared/istio-crds/customresourcedefinitions.gen.yaml, Istio 1.30.3) and the Kubernetes
// Gateway API CRDs Istio 1.30 requires (../shared/gateway-api-crds/*.yaml, v1.5.1 standard channel;
// documents that are not CustomResourceDefinitions, such as its ValidatingAdmissionPolicy, are skipped).
// Each kind file stores every distinct openAPIV3Schema once, with the versions that serve it.
// Output is deterministic: object keys are sorted, arrays keep their order.
// Usage: node scripts/gen-schemas.mjs [--check] [--crds <file>] [--gateway-api <dir>] [--out <dir>]
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : resolve(process.argv[i + 1]);
}

/** Recursively sorts object keys so that serialisation is stable. */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

function stableJson(value) {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** One entry per CRD: the kind file's content. */
function kindFile(crd) {
  const spec = crd.spec;
  const schemas = [];
  const versions = [];
  for (const v of spec.versions) {
    versions.push(
      sortKeys({
        name: v.name,
        served: v.served === true,
        storage: v.storage === true,
        ...(v.deprecated ? { deprecated: true } : {}),
        ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
      }),
    );
    const schema = v.schema?.openAPIV3Schema ?? {};
    const text = JSON.stringify(sortKeys(schema));
    const same = schemas.find((s) => s.text === text);
    if (same) same.versions.push(v.name);
    else schemas.push({ text, versions: [v.name], schema });
  }
  return {
    group: spec.group,
    kind: spec.names.kind,
    plural: spec.names.plural,
    scope: spec.scope,
    versions,
    schemas: schemas.map((s) => ({ versions: s.versions, openAPIV3Schema: s.schema })),
  };
}

/** The CustomResourceDefinitions of YAML texts (other documents are skipped). */
function crdsOf(texts) {
  return texts.flatMap((text) => parseAllDocuments(text).map((d) => d.toJS())).filter((o) => o?.kind === 'CustomResourceDefinition');
}

/** The sources, named in index.json. */
export const SOURCES = [
  'Istio 1.30.3 customresourcedefinitions.gen.yaml',
  'Kubernetes Gateway API v1.5.1 standard channel (gateway-api-crds/*.yaml)',
];

/** All generated files: relative path → content. `crdTexts`: YAML texts holding CRDs. */
export function generate(crdTexts) {
  const files = new Map();
  const index = [];
  for (const crd of crdsOf(Array.isArray(crdTexts) ? crdTexts : [crdTexts])) {
    const k = kindFile(crd);
    const file = `${k.group}/${k.kind}.json`;
    files.set(file, stableJson(k));
    index.push({
      group: k.group,
      kind: k.kind,
      plural: k.plural,
      served: k.versions.filter((v) => v.served).map((v) => v.name),
      storage: k.versions.find((v) => v.storage)?.name,
      file,
    });
  }
  index.sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
  files.set('index.json', stableJson({ sources: SOURCES, kinds: index }));
  return files;
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)));
}

function main() {
  const crds = argValue('--crds', resolve(root, '../shared/istio-crds/customresourcedefinitions.gen.yaml'));
  const gatewayApi = argValue('--gateway-api', resolve(root, '../shared/gateway-api-crds'));
  const out = argValue('--out', join(root, 'schemas'));
  const gatewayApiFiles = readdirSync(gatewayApi).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(gatewayApi, f));
  const files = generate([crds, ...gatewayApiFiles].map((f) => readFileSync(f, 'utf8')));
  if (process.argv.includes('--check')) {
    const stale = [...files].filter(([f, c]) => !existsSync(join(out, f)) || readFileSync(join(out, f), 'utf8') !== c).map(([f]) => f);
    const extra = listFiles(out).filter((f) => !files.has(f));
    if (stale.length || extra.length) {
      console.error(`schemas/ is out of date: ${[...stale, ...extra].join(', ')}; run npm run gen:schemas`);
      process.exit(1);
    }
    return;
  }
  for (const f of listFiles(out)) if (!files.has(f)) rmSync(join(out, f));
  for (const [f, content] of files) {
    mkdirSync(dirname(join(out, f)), { recursive: true });
    writeFileSync(join(out, f), content);
  }
  console.log(`gen-schemas: ${files.size - 1} kinds written to ${relative(process.cwd(), out) || '.'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
