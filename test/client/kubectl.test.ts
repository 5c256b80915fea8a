/**
 * The vscode-free kubectl modules of the client against the real kubectl binary and a fake
 * Kubernetes API server on 127.0.0.1 (test/helpers/fakeKubeApi.ts): the exact requests
 * kubectl makes for apply, server-side apply, dry run and diff, and the messages users see.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeTempDir, tempDir } from '../helpers/tmp';
import { kubeconfigFiles, parseKubeconfigs, readKubeconfig } from '../../client/src/kube/kubeconfig';
import { manifestDocs, selectDocs, type ManifestDoc } from '../../client/src/kube/manifests';
import { applyDocs, diffSides, type ClusterRun } from '../../client/src/kube/operations';
import { confirmation, decideApply, isProtectedContext, targetChanged, validateTypedContext, type Target } from '../../client/src/kube/safety';
import { KubeState, resolveSelection } from '../../client/src/kube/state';
import { startFakeKubeApi, type FakeKubeApi, type KubeRequest } from '../helpers/fakeKubeApi';
import { testCerts } from '../helpers/certs';
import { closedPort } from '../helpers/loopbackServers';

const KUBECTL = '/usr/bin/kubectl';
const hasKubectl = existsSync(KUBECTL);

function kubeconfigText(servers: { dev: string; prod: string }, current = 'dev', extraUser = ''): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: dev-cluster
  cluster: { server: "${servers.dev}" }
- name: prod-cluster
  cluster: { server: "${servers.prod}" }
users:
- name: dev-user
  user: { token: dev-token }
- name: prod-user
  user: { token: prod-token }
${extraUser}contexts:
- name: dev
  context: { cluster: dev-cluster, user: dev-user, namespace: team-a }
- name: prod-eu
  context: { cluster: prod-cluster, user: prod-user }
current-context: ${current}
`;
}

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews }
`;
const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-all
  namespace: shop
spec: {}
`;
const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: edge
spec:
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*"]
`;

describe('kubectl against a fake API server', { skip: !hasKubectl && 'no /usr/bin/kubectl' }, () => {
  let dir: string;
  let dev: FakeKubeApi;
  let prod: FakeKubeApi;
  let kubeconfig: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, KUBECONFIG: '', KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir });

  before(async () => {
    dir = tempDir('kubectl-test-');
    dev = await startFakeKubeApi({
      deny: (o) => (o.metadata.name === 'deny-all' ? 'configuration is invalid: empty spec denies every request in namespace shop' : undefined),
      conflicts: (o) => (o.metadata.name === 'reviews' ? [{ manager: 'kubectl-client-side-apply', field: '.spec.hosts' }] : []),
    });
    prod = await startFakeKubeApi();
    kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, kubeconfigText({ dev: dev.server, prod: prod.server }));
  });
  after(async () => {
    await dev.close();
    await prod.close();
    removeTempDir(dir);
  });

  const target = (context = 'dev', namespace = 'team-a'): Target => ({ context, namespace, server: context === 'dev' ? dev.server : prod.server });
  const runOf = (docs: ManifestDoc[], t = target(), extra: Partial<ClusterRun> = {}): ClusterRun => ({
    target: t,
    docs,
    settings: { path: KUBECTL, kubeconfig, timeoutMs: 60_000 },
    env: env(),
    ...extra,
  });
  const writesSince = (api: FakeKubeApi, n: number): KubeRequest[] => api.requests.slice(n).filter((r) => r.method !== 'GET');

  it('client-side apply creates objects with POST on the confirmed context, the namespace filled in', async () => {
    const docs = manifestDocs('mesh.yaml', `${VS}---\n${GATEWAY}`);
    const [n, np] = [dev.requests.length, prod.requests.length];
    const { failure, result } = await applyDocs(runOf(docs), {});
    assert.equal(failure, undefined, result.stderr);
    assert.match(result.stdout, /virtualservice.networking.istio.io\/reviews created/);
    assert.match(result.stdout, /gateway.networking.istio.io\/public created/);
    const writes = writesSince(dev, n);
    assert.deepEqual(
      writes.map((w) => [w.method, w.path, w.query.fieldManager, w.query.dryRun]),
      [
        ['POST', '/apis/networking.istio.io/v1/namespaces/team-a/virtualservices', 'kubectl-client-side-apply', undefined],
        ['POST', '/apis/networking.istio.io/v1/namespaces/edge/gateways', 'kubectl-client-side-apply', undefined],
      ],
    );
    const created = writes[0].body as { metadata: { annotations: Record<string, string> } };
    assert.ok(created.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'].includes('"reviews"'));
    assert.equal(prod.requests.length, np, 'nothing may reach the other context');
    assert.ok(dev.objects.has('team-a/virtualservices/reviews'));
  });

  it('client-side apply of a changed object GETs it, then PATCHes a JSON merge patch', async () => {
    const docs = manifestDocs('mesh.yaml', VS.replace('hosts: [reviews]', 'hosts: [reviews, reviews.team-a.svc.cluster.local]'));
    const n = dev.requests.length;
    const { failure, result } = await applyDocs(runOf(docs), {});
    assert.equal(failure, undefined, result.stderr);
    assert.match(result.stdout, /virtualservice.networking.istio.io\/reviews configured/);
    const seen = dev.requests.slice(n).filter((r) => r.path.includes('/virtualservices/reviews'));
    assert.deepEqual(seen.map((r) => [r.method, r.contentType]), [['GET', ''], ['PATCH', 'application/merge-patch+json']]);
    assert.deepEqual((seen[1].body as { spec: { hosts: string[] } }).spec.hosts, ['reviews', 'reviews.team-a.svc.cluster.local']);
  });

  it('server-side dry run sends dryRun=All and stores nothing', async () => {
    const docs = manifestDocs('mesh.yaml', POLICY.replace('deny-all', 'allow-nothing'));
    const n = dev.requests.length;
    const { failure, result } = await applyDocs(runOf(docs), { dryRun: true });
    assert.equal(failure, undefined, result.stderr);
    assert.match(result.stdout, /authorizationpolicy.security.istio.io\/allow-nothing created \(server dry run\)/);
    assert.deepEqual(writesSince(dev, n).map((w) => [w.method, w.path, w.query.dryRun]), [['POST', '/apis/security.istio.io/v1/namespaces/shop/authorizationpolicies', 'All']]);
    assert.equal(dev.objects.has('shop/authorizationpolicies/allow-nothing'), false);
  });

  it('server-side apply PATCHes application/apply-patch+yaml with fieldManager=istio-security', async () => {
    const docs = manifestDocs('mesh.yaml', GATEWAY.replace('"*"', '"shop.example.com"'));
    const n = dev.requests.length;
    const { failure, result } = await applyDocs(runOf(docs), { serverSide: true });
    assert.equal(failure, undefined, result.stderr);
    assert.match(result.stdout, /gateway.networking.istio.io\/public serverside-applied/);
    assert.deepEqual(
      writesSince(dev, n).map((w) => [w.method, w.path, w.contentType, w.query.fieldManager, w.query.force]),
      [['PATCH', '/apis/networking.istio.io/v1/namespaces/edge/gateways/public', 'application/apply-patch+yaml', 'istio-security', 'false']],
    );
  });

  it('explains a server-side apply conflict (field and manager) and applies with --force-conflicts', async () => {
    const docs = manifestDocs('mesh.yaml', VS);
    const { failure } = await applyDocs(runOf(docs), { serverSide: true });
    assert.equal(failure?.kind, 'conflict');
    assert.deepEqual(failure?.conflicts, [{ manager: 'kubectl-client-side-apply', field: '.spec.hosts' }]);
    assert.match(failure?.message ?? '', /\.spec\.hosts \(managed by "kubectl-client-side-apply"\).*--force-conflicts/);
    const n = dev.requests.length;
    const forced = await applyDocs(runOf(docs), { serverSide: true, forceConflicts: true });
    assert.equal(forced.failure, undefined, forced.result.stderr);
    assert.deepEqual(writesSince(dev, n).map((w) => w.query.force), ['true']);
  });

  it('maps an admission webhook denial to the document it is about (client-side and server-side)', async () => {
    const text = `${GATEWAY}---\n${POLICY}---\n${VS.replace('reviews\nspec', 'ratings\nspec')}`;
    const docs = manifestDocs('mesh.yaml', text);
    for (const mode of [{}, { serverSide: true }]) {
      const { failure, result } = await applyDocs(runOf(docs), mode);
      assert.equal(failure?.kind, 'webhook-denied', result.stderr);
      assert.equal(failure?.denials.length, 1);
      const [d] = failure?.denials ?? [];
      assert.equal(d.webhook, 'validation.istio.io');
      assert.equal(d.doc, docs[1], `mode ${JSON.stringify(mode)}`);
      assert.equal(d.reason, 'configuration is invalid: empty spec denies every request in namespace shop');
      assert.deepEqual(d.doc?.nameRange, { start: { line: 13, character: 8 }, end: { line: 13, character: 16 } });
      assert.match(failure?.message ?? '', /^Admission webhook "validation.istio.io" denied AuthorizationPolicy shop\/deny-all: configuration is invalid/);
    }
  });

  it('diff: the live object against the server-side dry-run result; nothing is changed', async () => {
    prod.seed({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: { hosts: ['reviews'] } });
    const docs = manifestDocs('mesh.yaml', `${VS.replace('hosts: [reviews]', 'hosts: [reviews, ratings]')}---\n${POLICY.replace('deny-all', 'new-policy')}`);
    const n = prod.requests.length;
    const sides = await diffSides(runOf(docs, target('prod-eu', 'default')));
    assert.equal(sides.failure, undefined);
    assert.match(sides.live, /hosts:\n\s+- reviews\n/);
    assert.doesNotMatch(sides.live, /ratings|resourceVersion|managedFields/);
    assert.match(sides.live, /# AuthorizationPolicy shop\/new-policy: not in the cluster/);
    assert.match(sides.result, /hosts:\n\s+- reviews\n\s+- ratings\n/);
    assert.match(sides.result, /name: new-policy/);
    const writes = writesSince(prod, n);
    assert.ok(writes.length === 2 && writes.every((w) => w.query.dryRun === 'All'), JSON.stringify(writes.map((w) => [w.method, w.path, w.query])));
    assert.deepEqual((prod.objects.get('default/virtualservices/reviews')?.spec as { hosts: string[] }).hosts, ['reviews']);
    assert.equal(prod.objects.has('shop/authorizationpolicies/new-policy'), false);
  });

  it('a removed Istio API and a kind the cluster does not serve point to the right fix', async () => {
    const removed = manifestDocs('old.yaml', 'apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata:\n  name: p\nspec: {}\n');
    const r1 = await applyDocs(runOf(removed), {});
    assert.equal(r1.failure?.kind, 'no-kind');
    assert.equal(r1.failure?.removedApi, true);
    assert.match(r1.failure?.message ?? '', /Istio removed this API.*istioSecurity\.convertRemovedApis/);
    const missing = manifestDocs('t.yaml', 'apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: t\nspec: {}\n');
    const r2 = await applyDocs(runOf(missing), {});
    assert.equal(r2.failure?.kind, 'no-kind');
    assert.match(r2.failure?.message ?? '', /Istio's CRDs are not installed in context "dev"/);
  });

  it('cancellation kills kubectl while the server has not answered', async () => {
    const stalled = await startFakeKubeApi({ stall: (r) => r.method === 'POST' });
    const config = path.join(dir, 'stall-config');
    writeFileSync(config, kubeconfigText({ dev: stalled.server, prod: prod.server }));
    try {
      const controller = new AbortController();
      void stalled.waitForRequest((r) => r.method === 'POST').then(() => controller.abort());
      const docs = manifestDocs('mesh.yaml', VS);
      const { failure, result } = await applyDocs({ ...runOf(docs), settings: { path: KUBECTL, kubeconfig: config, timeoutMs: 0 }, signal: controller.signal }, {});
      assert.equal(result.cancelled, true);
      assert.equal(failure?.kind, 'cancelled');
      assert.match(failure?.message ?? '', /^Cancelled: kubectl was stopped/);
      assert.equal(stalled.objects.size, 0);
    } finally {
      await stalled.close();
    }
  });

  it('a kubectl path that does not exist gives an install hint', async () => {
    const docs = manifestDocs('mesh.yaml', VS);
    const { failure } = await applyDocs({ ...runOf(docs), settings: { path: path.join(dir, 'no', 'kubectl'), kubeconfig, timeoutMs: 10_000 } }, {});
    assert.equal(failure?.kind, 'kubectl-missing');
    assert.match(failure?.message ?? '', /kubectl was not found .*Install kubectl .*istioSecurity\.kubectl\.path/);
  });

  it('an unreachable server (a closed port) is reported with the context and its server', async () => {
    const port = await closedPort();
    const config = path.join(dir, 'closed-config');
    const server = `http://127.0.0.1:${port}`;
    writeFileSync(config, kubeconfigText({ dev: server, prod: prod.server }));
    const docs = manifestDocs('mesh.yaml', VS);
    const { failure } = await applyDocs({ ...runOf(docs, { context: 'dev', namespace: 'x', server }), settings: { path: KUBECTL, kubeconfig: config, timeoutMs: 60_000 } }, {});
    assert.equal(failure?.kind, 'unreachable');
    assert.match(failure?.message ?? '', new RegExp(`^The cluster of context "dev" \\(${server}\\) is unreachable: .*connection refused`));
  });

  it('a failing authentication plugin is reported as an authentication failure', async () => {
    // kubectl runs exec credential plugins only for https servers.
    const secure = await startFakeKubeApi({ tls: testCerts().server });
    try {
      const config = path.join(dir, 'auth-config');
      const text = kubeconfigText({ dev: secure.server, prod: prod.server })
        .replace(`server: "${secure.server}"`, `server: "${secure.server}", insecure-skip-tls-verify: true`)
        .replace('user: { token: dev-token }', `user:\n    exec: { apiVersion: client.authentication.k8s.io/v1, command: ${path.join(dir, 'no-such-login-plugin')}, interactiveMode: Never }`);
      writeFileSync(config, text);
      const docs = manifestDocs('mesh.yaml', VS);
      const { failure } = await applyDocs({ ...runOf(docs, { context: 'dev', namespace: 'x', server: secure.server }), settings: { path: KUBECTL, kubeconfig: config, timeoutMs: 60_000 } }, {});
      assert.equal(failure?.kind, 'auth', failure?.message);
      assert.match(failure?.message ?? '', /^Authentication to context "dev" failed: .*no-such-login-plugin/);
      assert.equal(secure.writes().length, 0);
    } finally {
      await secure.close();
    }
  });

  it('follows the kubeconfig file through file-system events', async () => {
    const file = path.join(dir, 'watched-config');
    writeFileSync(file, kubeconfigText({ dev: dev.server, prod: prod.server }, 'dev'));
    const values = new Map<string, unknown>();
    const state = new KubeState({ get: <T>(k: string) => values.get(k) as T | undefined, update: async (k, v) => void values.set(k, v) }, [file]);
    await state.start();
    try {
      assert.equal(state.selection().context?.name, 'dev');
      const changed = new Promise<void>((resolve) => state.onDidChange(() => state.selection().context?.name === 'prod-eu' && resolve()));
      writeFileSync(file, kubeconfigText({ dev: dev.server, prod: prod.server }, 'prod-eu'));
      await changed;
      assert.deepEqual(state.selection(), { context: { name: 'prod-eu', cluster: 'prod-cluster', user: 'prod-user', namespace: undefined, server: prod.server }, chosen: false, namespace: 'default' });
    } finally {
      state.dispose();
    }
  });
});

describe('kubeconfig and selection', () => {
  it('reads the setting, else KUBECONFIG (in order, deduplicated), else ~/.kube/config', () => {
    assert.deepEqual(kubeconfigFiles('~/k.yaml', { KUBECONFIG: '/a' }, '/home/u'), ['/home/u/k.yaml']);
    assert.deepEqual(kubeconfigFiles(undefined, { KUBECONFIG: `/a${path.delimiter}/b${path.delimiter}/a` }, '/home/u'), ['/a', '/b']);
    assert.deepEqual(kubeconfigFiles('', {}, '/home/u'), ['/home/u/.kube/config']);
  });

  it('merges files like kubectl: the first definition and the first current-context win', () => {
    const a = 'contexts:\n- name: dev\n  context: { cluster: c1, user: u }\nclusters:\n- name: c1\n  cluster: { server: https://a }\n';
    const b = 'current-context: dev\ncontexts:\n- name: dev\n  context: { cluster: c2, user: u }\n- name: prod\n  context: { cluster: c2, user: u, namespace: p }\nclusters:\n- name: c2\n  cluster: { server: https://b }\n';
    const k = parseKubeconfigs([{ file: 'a', text: a }, { file: 'b', text: b }, { file: 'missing', text: undefined }, { file: 'bad', text: ': [' }]);
    assert.equal(k.currentContext, 'dev');
    assert.deepEqual(k.contexts, [
      { name: 'dev', cluster: 'c1', user: 'u', namespace: undefined, server: 'https://a' },
      { name: 'prod', cluster: 'c2', user: 'u', namespace: 'p', server: 'https://b' },
    ]);
  });

  it('uses its own choice of context, else current-context; the namespace from the choice, the context, or default', async () => {
    const dir = tempDir('kubeconfig-');
    try {
      writeFileSync(path.join(dir, 'c'), kubeconfigText({ dev: 'https://dev', prod: 'https://prod' }));
      const k = await readKubeconfig([path.join(dir, 'c')]);
      assert.equal(resolveSelection(k, undefined, undefined).context?.name, 'dev');
      assert.equal(resolveSelection(k, undefined, undefined).namespace, 'team-a');
      assert.deepEqual([resolveSelection(k, 'prod-eu', undefined).context?.server, resolveSelection(k, 'prod-eu', undefined).namespace], ['https://prod', 'default']);
      assert.equal(resolveSelection(k, 'prod-eu', 'payments').namespace, 'payments');
      assert.equal(resolveSelection(k, 'gone', undefined).context?.name, 'dev', 'a stored context that disappeared falls back to current-context');
      assert.equal(resolveSelection({ files: ['x'], contexts: [] }, undefined, undefined).problem, 'no context in x');
    } finally {
      removeTempDir(dir);
    }
  });
});

describe('apply safety decisions', () => {
  const text = `${VS}---\n${POLICY}`;
  const docs = manifestDocs('file:///w/mesh.yaml', text);

  it('refuses documents with error diagnostics unless overridden, and only those documents', () => {
    assert.deepEqual(decideApply(docs, [], false), { kind: 'proceed' });
    const errors = [{ source: 'file:///w/mesh.yaml', line: 13, code: 'authz-empty', message: 'x' }];
    const d = decideApply(docs, errors, false);
    assert.equal(d.kind, 'needs-override');
    assert.deepEqual(d.kind === 'needs-override' ? d.blocked.map((b) => b.doc.name) : [], ['deny-all']);
    assert.deepEqual(decideApply(docs, errors, true), { kind: 'proceed' });
    assert.deepEqual(decideApply(docs, [{ ...errors[0], source: 'file:///w/other.yaml' }], false), { kind: 'proceed' });
  });

  it('selects the documents a selection touches; all of them for an empty selection', () => {
    const at = (line: number) => ({ line, character: 0 });
    assert.deepEqual(selectDocs(docs, [{ start: at(2), end: at(2) }]).map((d) => d.name), ['reviews', 'deny-all']);
    assert.deepEqual(selectDocs(docs, [{ start: at(11), end: at(12) }]).map((d) => d.name), ['deny-all']);
    assert.deepEqual(selectDocs(docs, [{ start: at(3), end: at(12) }]).map((d) => d.name), ['reviews', 'deny-all']);
  });

  it('protected contexts match glob patterns, case-insensitively, over the whole name', () => {
    assert.equal(isProtectedContext('prod-eu', ['*prod*']), true);
    assert.equal(isProtectedContext('gke_PROD_1', ['*prod*']), true);
    assert.equal(isProtectedContext('dev', ['*prod*']), false);
    assert.equal(isProtectedContext('live-1', ['live-?']), true);
    assert.equal(isProtectedContext('live-10', ['live-?']), false);
    assert.equal(isProtectedContext('a.b', ['a?b', 'x']), true);
    assert.equal(isProtectedContext('aXb', ['a.b']), false);
    assert.equal(validateTypedContext('prod-eu', 'prod-eu'), undefined);
    assert.equal(validateTypedContext('prod-eu', 'prod'), 'Type "prod-eu" exactly to apply to this protected context.');
  });

  it('the confirmation names the context, the cluster, the namespaces and every resource', () => {
    const c = confirmation('apply', { context: 'prod-eu', server: 'https://prod:6443', namespace: 'default' }, docs);
    assert.equal(c.message, 'Apply 2 resources to context "prod-eu"?');
    assert.equal(c.detail, 'Context: prod-eu\nCluster: https://prod:6443\nNamespaces: default, shop\n\nResources:\n  VirtualService default/reviews\n  AuthorizationPolicy shop/deny-all');
  });

  it('refuses to run when the confirmed context was removed or now points at another server', () => {
    const t = { context: 'dev', server: 'https://a', namespace: 'n' };
    assert.equal(targetChanged(t, { name: 'dev', cluster: 'c', user: 'u', server: 'https://a' }), undefined);
    assert.match(targetChanged(t, { name: 'dev', cluster: 'c', user: 'u', server: 'https://evil' }) ?? '', /now points at https:\/\/evil instead of the confirmed https:\/\/a; nothing was applied/);
    assert.match(targetChanged(t, undefined) ?? '', /no longer in the kubeconfig/);
  });
});
