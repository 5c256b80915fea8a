import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandOutcome, PromptRecord } from '../../../client/src/commands/apply';
import { startFakeKubeApi, type FakeKubeApi, type KubeRequest } from '../../helpers/fakeKubeApi';
import { activateExtension, closeAllEditors, codeOf, fixtureUri, openFixture, rangeTuple, WAIT_MS, waitForCode, waitUntil, workspaceRoot } from './helpers';

// Apply, diff and server-side dry run against a fake Kubernetes API server on 127.0.0.1,
// driven through the real /usr/bin/kubectl. Modal answers are scripted through the
// extension's test hook (istioSecurity.test.kube), which also reads the status bar item.

interface HookResult {
  prompts: PromptRecord[];
  status: { text: string; tooltip: string };
}

const hook = async (answers?: Array<string | null>): Promise<HookResult> =>
  (await vscode.commands.executeCommand<HookResult>('istioSecurity.test.kube', answers ? { answers } : undefined)) as HookResult;

const run = async (command: string, ...args: unknown[]): Promise<CommandOutcome> => (await vscode.commands.executeCommand<CommandOutcome>(command, ...args)) as CommandOutcome;

function kubeconfigText(dev: string, prod: string, current: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: dev-cluster\n  cluster: { server: "${dev}" }`,
    `- name: prod-cluster\n  cluster: { server: "${prod}" }`,
    'users:',
    '- name: u\n  user: { token: t }',
    'contexts:',
    '- name: dev\n  context: { cluster: dev-cluster, user: u, namespace: team-a }',
    '- name: prod-eu\n  context: { cluster: prod-cluster, user: u }',
    `current-context: ${current}`,
    '',
  ].join('\n');
}

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
`;
const DENIED = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: denied-by-webhook
  namespace: shop
spec:
  action: DENY
  rules:
  - to:
    - operation:
        paths: ["/admin"]
`;

async function writeManifest(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Opens a manifest and waits until the language server has analysed it. */
async function openAnalysed(uri: vscode.Uri): Promise<void> {
  const api = await activateExtension();
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await waitUntil(() => api.statusOf(uri.toString()) !== undefined, `the language server to analyse ${uri.path}`);
}

const writes = (api: FakeKubeApi, from: number): KubeRequest[] => api.requests.slice(from).filter((r) => r.method !== 'GET');

describe('apply to cluster', () => {
  let dev: FakeKubeApi;
  let prod: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;

  const statusText = async (): Promise<string> => (await hook()).status.text;
  /** Polls the status bar text (a status bar item has no change event). */
  const waitForStatus = async (text: string): Promise<void> => {
    const deadline = Date.now() + WAIT_MS;
    let last = await statusText();
    while (last !== text) {
      if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for the status bar to show "${text}"; it shows "${last}"`);
      await new Promise((r) => setTimeout(r, 50));
      last = await statusText();
    }
  };
  const select = async (context: string): Promise<void> => {
    await hook([context]);
    assert.equal((await run('istioSecurity.selectKubeContext')).outcome, 'selected');
  };

  before(async () => {
    await activateExtension();
    const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'in-cluster-1', alg: 'RS256' };
    dev = await startFakeKubeApi({
      deny: (o) => (o.metadata.name === 'denied-by-webhook' ? 'configuration is invalid: paths are not allowed with DENY in this fake' : undefined),
      serviceProxy: (p) => (p.namespace === 'auth' && p.service === 'keycloak' && p.port === '8080' && p.path === 'realms/mesh/certs' ? JSON.stringify({ keys: [jwk] }) : undefined),
    });
    prod = await startFakeKubeApi();
    dir = mkdtempSync(path.join(os.tmpdir(), 'istio-editor-kube-'));
    kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, kubeconfigText(dev.server, prod.server, 'dev'));
    await vscode.workspace.getConfiguration('istioSecurity').update('kubectl.kubeconfig', kubeconfig, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await hook([]);
    await vscode.workspace.getConfiguration('istioSecurity').update('kubectl.kubeconfig', undefined, vscode.ConfigurationTarget.Workspace);
    await dev.close();
    await prod.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(closeAllEditors);

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['istioSecurity.applyToCluster', 'istioSecurity.diffAgainstCluster', 'istioSecurity.serverDryRun', 'istioSecurity.selectKubeContext', 'istioSecurity.selectKubeNamespace', 'istioSecurity.checkJwksFromCluster']) {
      assert.ok(commands.includes(c), `${c} is not registered`);
    }
  });

  it('the status bar shows the kubeconfig current-context and follows the file when it changes', async () => {
    await waitForStatus('$(cloud) dev / team-a');
    assert.match((await hook()).status.tooltip, new RegExp(`context "dev" \\(${dev.server.replace(/[.]/g, '\\.')}\\), namespace "team-a" \\(the kubeconfig's current-context\\)`));
    writeFileSync(kubeconfig, kubeconfigText(dev.server, prod.server, 'prod-eu'));
    await waitForStatus('$(cloud) prod-eu / default');
    writeFileSync(kubeconfig, kubeconfigText(dev.server, prod.server, 'dev'));
    await waitForStatus('$(cloud) dev / team-a');
  });

  it('selects a context and a namespace of its own, without editing the kubeconfig', async () => {
    const before = kubeconfigText(dev.server, prod.server, 'dev');
    await select('prod-eu');
    const { prompts } = await hook(['payments']);
    assert.deepEqual(prompts[0]?.choices, ['dev', 'prod-eu']);
    assert.equal((await run('istioSecurity.selectKubeNamespace')).outcome, 'selected');
    assert.equal(await statusText(), '$(cloud) prod-eu / payments');
    assert.equal((await vscode.workspace.fs.readFile(vscode.Uri.file(kubeconfig))).toString(), before);
    await hook(['Not a namespace!']);
    assert.equal((await run('istioSecurity.selectKubeNamespace')).outcome, 'declined');
    assert.match((await hook()).prompts[0]?.validation ?? '', /DNS label/);
    await select('dev');
    assert.equal(await statusText(), '$(cloud) dev / team-a');
  });

  it('asks before applying, naming the context, the cluster, the namespace and the resources; then applies on that context', async () => {
    const uri = await writeManifest('apply-reviews.yaml', VS);
    await openAnalysed(uri);
    const [d, p] = [dev.requests.length, prod.requests.length];
    await hook([null]);
    const declined = await run('istioSecurity.applyToCluster');
    assert.equal(declined.outcome, 'declined');
    assert.equal(dev.requests.length, d, 'nothing reaches the cluster when the modal is dismissed');

    await hook(['Apply']);
    const applied = await run('istioSecurity.applyToCluster', uri);
    const { prompts } = await hook();
    assert.equal(applied.outcome, 'applied', applied.message);
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].message, 'Apply 1 resource to context "dev"?');
    assert.equal(prompts[0].detail, `Context: dev\nCluster: ${dev.server}\nNamespace: team-a\n\nResources:\n  VirtualService team-a/reviews`);
    assert.deepEqual(writes(dev, d).map((r) => [r.method, r.path]), [['POST', '/apis/networking.istio.io/v1/namespaces/team-a/virtualservices']]);
    assert.equal(prod.requests.length, p);
  });

  it('a protected context needs its name typed; a wrong name applies nothing', async () => {
    const uri = await writeManifest('apply-prod.yaml', VS);
    await openAnalysed(uri);
    await select('prod-eu');
    try {
      const p = prod.requests.length;
      await hook(['Apply', 'prod']);
      assert.equal((await run('istioSecurity.applyToCluster', uri)).outcome, 'declined');
      const { prompts } = await hook(['Apply', 'prod-eu']);
      assert.equal(prompts[1]?.kind, 'input');
      assert.match(prompts[1]?.message ?? '', /Context "prod-eu" is protected/);
      assert.equal(prompts[1]?.validation, 'Type "prod-eu" exactly to apply to this protected context.');
      assert.equal(prod.requests.length, p);
      const applied = await run('istioSecurity.applyToCluster', uri);
      assert.equal(applied.outcome, 'applied', applied.message);
      assert.deepEqual(writes(prod, p).map((r) => [r.method, r.path]), [['POST', '/apis/networking.istio.io/v1/namespaces/default/virtualservices']]);
    } finally {
      await select('dev');
    }
  });

  it('refuses a file with error diagnostics unless "Apply anyway"; a removed API points to the conversion', async () => {
    await openFixture('removed-api.yaml');
    await waitForCode(fixtureUri('removed-api.yaml'), 'removed-api');
    const d = dev.requests.length;
    await hook([null]);
    const refused = await run('istioSecurity.applyToCluster', fixtureUri('removed-api.yaml'));
    const { prompts } = await hook(['Apply anyway', 'Apply']);
    assert.equal(refused.outcome, 'refused');
    assert.match(prompts[0]?.message ?? '', /^1 document has error diagnostics/);
    assert.match(prompts[0]?.detail ?? '', /^Policy shop\/jwt-origins: 1 error \(line 2 removed-api\)/);
    assert.equal(dev.requests.length, d);
    const failed = await run('istioSecurity.applyToCluster', fixtureUri('removed-api.yaml'));
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed.failure, 'no-kind');
    assert.match(failed.message, /Istio removed this API.*istioSecurity\.convertRemovedApis/);
  });

  it('maps an admission webhook denial to a "cluster" diagnostic on the denied document\'s name', async () => {
    const uri = await writeManifest('apply-denied.yaml', `${VS}---\n${DENIED}`);
    await openAnalysed(uri);
    await hook(['Apply']);
    const failed = await run('istioSecurity.applyToCluster', uri);
    assert.equal(failed.failure, 'webhook-denied', failed.message);
    const cluster = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'cluster');
    assert.equal(cluster.length, 1);
    assert.equal(codeOf(cluster[0]), 'webhook-denied');
    assert.equal(cluster[0].severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(rangeTuple(cluster[0].range), [15, 8, 15, 25]);
    assert.match(cluster[0].message, /^Admission webhook "validation.istio.io" on context "dev" denied this resource: configuration is invalid/);
  });

  it('server-side dry run sends dryRun=All and changes nothing', async () => {
    const uri = await writeManifest('dry-run.yaml', VS.replace('name: reviews', 'name: ratings'));
    await openAnalysed(uri);
    const d = dev.requests.length;
    const outcome = await run('istioSecurity.serverDryRun', uri);
    assert.equal(outcome.outcome, 'dry-run-passed', outcome.message);
    assert.deepEqual(writes(dev, d).map((r) => [r.method, r.path, r.query.dryRun]), [['POST', '/apis/networking.istio.io/v1/namespaces/team-a/virtualservices', 'All']]);
    assert.equal(dev.objects.has('team-a/virtualservices/ratings'), false);
  });

  it('diff opens the live object against the dry-run result in the diff editor', async () => {
    const uri = await writeManifest('diff.yaml', VS.replace('  - reviews\n  http', '  - reviews\n  - reviews.team-a.svc.cluster.local\n  http'));
    await openAnalysed(uri);
    const outcome = await run('istioSecurity.diffAgainstCluster', uri);
    assert.equal(outcome.outcome, 'diff-shown', outcome.message);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, 'the active tab is a diff editor');
    const [live, after] = await Promise.all([vscode.workspace.openTextDocument(input.original), vscode.workspace.openTextDocument(input.modified)]);
    assert.equal(input.original.scheme, 'istio-cluster');
    assert.doesNotMatch(live.getText(), /svc\.cluster\.local|managedFields/);
    assert.match(live.getText(), /name: reviews/);
    assert.match(after.getText(), /- reviews\.team-a\.svc\.cluster\.local/);
  });

  it('a cluster-local jwksUri has a "Check from the cluster" lens that fetches it through the selected context\'s service proxy', async () => {
    await select('dev');
    const uri = await writeManifest(
      'cluster-jwks.yaml',
      'apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: keycloak\n  namespace: auth\nspec:\n  jwtRules:\n  - issuer: http://keycloak:8080/realms/mesh\n    jwksUri: http://keycloak:8080/realms/mesh/certs\n',
    );
    await openAnalysed(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const lens = lenses.find((l) => l.command?.command === 'istioSecurity.checkJwksFromCluster');
    assert.ok(lens?.command, `lenses: ${lenses.map((l) => l.command?.title).join(', ')}`);
    assert.equal(lens.range.start.line, 8, 'on the jwksUri value');
    const from = dev.requests.length;
    const outcome = await run(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(outcome.outcome, 'checked', outcome.message);
    assert.match(outcome.message, /1 usable key\(s\): in-cluster-1 RS256/);
    assert.deepEqual(
      dev.requests.slice(from).filter((r) => r.path.includes('/proxy/')).map((r) => r.path),
      ['/api/v1/namespaces/auth/services/keycloak:8080/proxy/realms/mesh/certs'],
      'a single-label host resolves in the RequestAuthentication\'s namespace',
    );
  });
});
