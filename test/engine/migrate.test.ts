import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrateText, type MigrationNote } from '../../engine/src/legacy/migrate';
import { simulate, type SimRequest, type SimTarget } from '../../engine/src/simulate/index';
import { resourcesOf, sample, SAMPLE_ISSUER } from '../helpers/jwtSign';
import { byKind, convert, errorsOf, objectsOf, type Obj } from '../helpers/migrate';

function notesWith(notes: MigrationNote[], code: string): MigrationNote[] {
  return notes.filter((n) => n.code === code);
}

function at(n: MigrationNote): string {
  return `${n.range.start.line}:${n.range.start.character}-${n.range.end.line}:${n.range.end.character}`;
}

const POLICY = (spec: string, meta = 'name: jwt\n  namespace: foo') => `apiVersion: authentication.istio.io/v1alpha1
kind: Policy
metadata:
  ${meta}
spec:
${spec}`;

const ORIGIN = `  origins:
  - jwt:
      issuer: ${SAMPLE_ISSUER}
      jwks: '${sample('jwks.json').trim()}'
`;

describe('migrate: authentication Policy origins → RequestAuthentication + DENY AuthorizationPolicy', () => {
  it('maps issuer, audiences, jwksUri, jwtHeaders and jwtParams to jwtRules', () => {
    const { objs } = convert(
      POLICY(`  origins:
  - jwt:
      issuer: https://issuer.example.com
      audiences: [a1, a2]
      jwksUri: https://issuer.example.com/jwks.json
      jwtHeaders: [x-jwt-assertion]
      jwtParams: [token]
  principalBinding: USE_ORIGIN
`),
    );
    const [ra] = byKind(objs, 'RequestAuthentication');
    assert.deepEqual(ra.metadata, { name: 'jwt', namespace: 'foo' });
    assert.equal(ra.apiVersion, 'security.istio.io/v1');
    assert.deepEqual(ra.spec, {
      jwtRules: [
        {
          issuer: 'https://issuer.example.com',
          audiences: ['a1', 'a2'],
          jwksUri: 'https://issuer.example.com/jwks.json',
          fromHeaders: [{ name: 'x-jwt-assertion' }],
          fromParams: ['token'],
        },
      ],
    });
    const [ap] = byKind(objs, 'AuthorizationPolicy');
    assert.deepEqual(ap.metadata, { name: 'jwt-require-jwt', namespace: 'foo' });
    assert.deepEqual(ap.spec, { action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] });
  });

  it('accepts the snake_case spellings old clusters accepted (jwks_uri, jwt_headers, trigger_rules)', () => {
    const { objs } = convert(
      POLICY(`  origins:
  - jwt:
      issuer: https://i.example.com
      jwks_uri: https://i.example.com/k
      jwt_headers: [x-a]
      trigger_rules:
      - excluded_paths: [{exact: /healthz}]
`),
    );
    assert.deepEqual(byKind(objs, 'RequestAuthentication')[0].spec.jwtRules, [{ issuer: 'https://i.example.com', jwksUri: 'https://i.example.com/k', fromHeaders: [{ name: 'x-a' }] }]);
    assert.deepEqual(byKind(objs, 'AuthorizationPolicy')[0].spec.rules[0].to, [{ operation: { notPaths: ['/healthz'] } }]);
  });

  it('originIsOptional: true gives a RequestAuthentication and no policy requiring a token', () => {
    const { objs, text } = convert(POLICY(`${ORIGIN}  originIsOptional: true\n`));
    assert.equal(byKind(objs, 'RequestAuthentication').length, 1);
    assert.equal(byKind(objs, 'AuthorizationPolicy').length, 0);
    assert.match(text, /# originIsOptional: true: requests without a token are accepted/);
  });

  it('principalBinding USE_ORIGIN: explained in a comment and an information note on the field', () => {
    const input = POLICY(`${ORIGIN}  principalBinding: USE_ORIGIN\n`);
    const { text, notes } = convert(input);
    assert.match(text, /# principalBinding USE_ORIGIN: match the JWT identity \(<iss>\/<sub>\) with requestPrincipals/);
    const [n] = notesWith(notes, 'migrate-principal-binding');
    assert.equal(n.severity, 'information');
    assert.equal(at(n), '10:20-10:30');
  });
});

describe('migrate: triggerRules', () => {
  const TRIGGERS = POLICY(`  origins:
  - jwt:
      issuer: ${SAMPLE_ISSUER}
      jwks: '${sample('jwks.json').trim()}'
      triggerRules:
      - excludedPaths:
        - exact: /health
        - prefix: /status/
        - suffix: .png
        includedPaths:
        - prefix: /api/
        - suffix: /admin
`);

  it('excludedPaths → notPaths and includedPaths → paths (exact, prefix*, *suffix) of the DENY rule', () => {
    const { objs, text } = convert(TRIGGERS);
    const [ap] = byKind(objs, 'AuthorizationPolicy');
    assert.deepEqual(ap.spec.rules, [
      {
        from: [{ source: { notRequestPrincipals: ['*'] } }],
        to: [{ operation: { paths: ['/api/*', '*/admin'], notPaths: ['/health', '/status/*', '*.png'] } }],
      },
    ]);
    assert.match(text, /# triggerRules: excludedPaths became notPaths and includedPaths became paths/);
  });

  it('behaves like the old trigger rules in the simulator: token required only on triggered paths', async () => {
    const res = resourcesOf(migrateText(TRIGGERS).text);
    const target: SimTarget = { namespace: 'foo', labels: { app: 'x' } };
    const req = (path: string, token?: string): SimRequest => ({ method: 'GET', path, host: 'x.foo', port: 8000, sourcePrincipal: 'cluster.local/ns/foo/sa/a', token });
    const status = async (path: string, token?: string) => (await simulate(res, target, req(path, token), { offline: true })).status;
    assert.equal(await status('/api/items'), 403, 'included, not excluded: token required');
    assert.equal(await status('/api/items', sample('demo.jwt')), 200, 'a valid token passes');
    assert.equal(await status('/api/logo.png'), 200, 'excluded suffix wins over included');
    assert.equal(await status('/other'), 200, 'not included: open');
    assert.equal(await status('/x/admin'), 403, 'included suffix');
    assert.equal(await status('/status/ready'), 200, 'excluded prefix');
  });

  it('several trigger rules → one DENY rule each (any triggered rule requires the token)', () => {
    const { objs } = convert(
      POLICY(`${ORIGIN}      triggerRules:
      - includedPaths: [{prefix: /a/}]
      - includedPaths: [{exact: /b}]
`),
    );
    const ops = byKind(objs, 'AuthorizationPolicy')[0].spec.rules.map((r: Obj) => r.to[0].operation);
    assert.deepEqual(ops, [{ paths: ['/a/*'] }, { paths: ['/b'] }]);
  });

  it('regex paths cannot be expressed: a warning note on the regex, and the conversion stays on the strict side', () => {
    const { objs, notes } = convert(
      POLICY(`${ORIGIN}      triggerRules:
      - excludedPaths:
        - regex: ^/public/.*
        - exact: /ok
        includedPaths:
        - regex: ^/api/v[0-9]+
        - prefix: /v1/
`),
    );
    const regex = notesWith(notes, 'migrate-regex-path');
    assert.deepEqual(
      regex.map((n) => [n.severity, at(n)]),
      [
        ['warning', '12:17-12:28'],
        ['warning', '15:17-15:30'],
      ],
    );
    // The regex exclusion is dropped (token required there too), and a regex inclusion widens the rule to every path.
    assert.deepEqual(byKind(objs, 'AuthorizationPolicy')[0].spec.rules[0].to, [{ operation: { notPaths: ['/ok'] } }]);
  });
});

describe('migrate: peers → PeerAuthentication', () => {
  it('mtls {} → STRICT, mode PERMISSIVE → PERMISSIVE, peerIsOptional → PERMISSIVE with a note', () => {
    const strict = convert(POLICY('  peers:\n  - mtls: {}\n')).objs;
    assert.deepEqual(byKind(strict, 'PeerAuthentication')[0].spec, { mtls: { mode: 'STRICT' } });
    const nullMtls = convert(POLICY('  peers:\n  - mtls:\n')).objs;
    assert.deepEqual(byKind(nullMtls, 'PeerAuthentication')[0].spec, { mtls: { mode: 'STRICT' } });
    const permissive = convert(POLICY('  peers:\n  - mtls:\n      mode: PERMISSIVE\n')).objs;
    assert.deepEqual(byKind(permissive, 'PeerAuthentication')[0].spec, { mtls: { mode: 'PERMISSIVE' } });
    const optional = convert(POLICY('  peers:\n  - mtls: {}\n  peerIsOptional: true\n'));
    assert.deepEqual(byKind(optional.objs, 'PeerAuthentication')[0].spec, { mtls: { mode: 'PERMISSIVE' } });
    assert.equal(notesWith(optional.notes, 'migrate-peer-optional').length, 1);
  });

  it('MeshPolicy → PeerAuthentication "default" in the root namespace', () => {
    const { objs } = convert('apiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata:\n  name: default\nspec:\n  peers:\n  - mtls: {}\n');
    assert.deepEqual(objs, [{ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } }]);
  });

  it('a Policy with origins and no peers keeps the inherited mTLS mode and says so', () => {
    const { objs, notes, text } = convert(POLICY(ORIGIN));
    assert.equal(byKind(objs, 'PeerAuthentication').length, 0);
    assert.equal(notesWith(notes, 'migrate-peers-absent').length, 1);
    assert.match(text, /# The removed Policy had no peers: in Istio 1\.4 that turned mutual TLS off/);
  });

  it('a Policy with targets and neither peers nor origins (mTLS off) → PeerAuthentication DISABLE', () => {
    const { objs } = convert(POLICY('  targets:\n  - name: legacy\n'));
    assert.deepEqual(byKind(objs, 'PeerAuthentication')[0].spec, { selector: { matchLabels: { app: 'legacy' } }, mtls: { mode: 'DISABLE' } });
  });
});

describe('migrate: targets → guessed workload selectors', () => {
  it('marks each guessed selector with a TODO comment and an information note on the target name', () => {
    const input = POLICY('  targets:\n  - name: reviews\n  peers:\n  - mtls: {}\n');
    const { text, objs, notes } = convert(input);
    assert.deepEqual(byKind(objs, 'PeerAuthentication')[0].spec.selector, { matchLabels: { app: 'reviews' } });
    assert.match(text, /\n {2}# TODO\(istio-sec\): confirm that pods of service reviews carry label app=reviews\n {2}selector:\n/);
    const [n] = notesWith(notes, 'migrate-guessed-selector');
    assert.equal(n.severity, 'information');
    assert.equal(at(n), '7:10-7:17');
  });

  it('several targets → one resource set per target, named after the target; target ports → portLevelMtls and operation ports', () => {
    const { objs, notes } = convert(
      POLICY(`  targets:
  - name: reviews.foo.svc.cluster.local
  - name: ratings
    ports:
    - number: 9080
  peers:
  - mtls: {}
${ORIGIN}`),
    );
    assert.deepEqual(
      objs.map((o) => `${o.kind}/${o.metadata.name}`),
      ['PeerAuthentication/jwt-reviews.foo.svc.cluster.local', 'RequestAuthentication/jwt-reviews.foo.svc.cluster.local', 'AuthorizationPolicy/jwt-reviews.foo.svc.cluster.local-require-jwt', 'PeerAuthentication/jwt-ratings', 'RequestAuthentication/jwt-ratings', 'AuthorizationPolicy/jwt-ratings-require-jwt'],
    );
    assert.deepEqual(objs[0].spec.selector, { matchLabels: { app: 'reviews' } });
    assert.deepEqual(objs[3].spec, { selector: { matchLabels: { app: 'ratings' } }, portLevelMtls: { 9080: { mode: 'STRICT' } } });
    assert.deepEqual(objs[5].spec.rules[0].to, [{ operation: { ports: ['9080'] } }]);
    assert.equal(notesWith(notes, 'migrate-guessed-selector').length, 2);
    assert.equal(notesWith(notes, 'migrate-service-port').length, 1);
  });
});

const ROLE = (rules: string, meta = 'name: viewer\n  namespace: foo') => `apiVersion: rbac.istio.io/v1alpha1
kind: ServiceRole
metadata:
  ${meta}
spec:
  rules:
${rules}`;

const BINDING = (subjects: string, meta = 'name: bind-viewer\n  namespace: foo', role = 'viewer') => `apiVersion: rbac.istio.io/v1alpha1
kind: ServiceRoleBinding
metadata:
  ${meta}
spec:
  subjects:
${subjects}  roleRef:
    kind: ServiceRole
    name: ${role}
`;

describe('migrate: ServiceRole + ServiceRoleBinding → AuthorizationPolicy', () => {
  it('methods/paths → to.operation, constraints → when/ports/selector, users → principals or requestPrincipals, named after the binding', () => {
    const input = `${ROLE(`  - services: [productpage.foo.svc.cluster.local]
    methods: [GET, HEAD]
    paths: ["/api/*", "*"]
    constraints:
    - key: destination.port
      values: ["9080"]
    - key: request.headers[version]
      values: [v1, v2]
    - key: destination.labels[version]
      values: [v1]
`)}---
${BINDING(`  - user: cluster.local/ns/foo/sa/frontend
  - user: https://accounts.example.com/1234
`)}`;
    const { objs, notes } = convert(input);
    assert.equal(objs.length, 1);
    const [ap] = objs;
    assert.deepEqual(ap.metadata, { name: 'bind-viewer', namespace: 'foo' });
    const op = { ports: ['9080'], methods: ['GET', 'HEAD'], paths: ['/api/*'] };
    const when = [{ key: 'request.headers[version]', values: ['v1', 'v2'] }];
    assert.deepEqual(ap.spec, {
      selector: { matchLabels: { app: 'productpage', version: 'v1' } },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/foo/sa/frontend'] } }], to: [{ operation: op }], when },
        { from: [{ source: { requestPrincipals: ['https://accounts.example.com/1234'] } }], to: [{ operation: op }], when },
      ],
    });
    assert.equal(notesWith(notes, 'migrate-user-principal')[0].severity, 'information');
  });

  it('a binding with request.auth.claims[...], group, source.namespace and source.ip', () => {
    const input = `${ROLE('  - services: ["*"]\n    methods: ["*"]\n')}---
${BINDING(`  - properties:
      request.auth.claims[role]: admin
      source.namespace: istio-system
      source.ip: 10.0.0.0/8
  - group: ops
`)}`;
    const { objs } = convert(input);
    assert.deepEqual(objs[0].spec, {
      action: 'ALLOW',
      rules: [
        { from: [{ source: { namespaces: ['istio-system'], ipBlocks: ['10.0.0.0/8'] } }], when: [{ key: 'request.auth.claims[role]', values: ['admin'] }] },
        { when: [{ key: 'request.auth.claims[groups]', values: ['ops'] }] },
      ],
    });
  });

  it('principalBinding USE_ORIGIN in the namespace: a plain user is the JWT principal (requestPrincipals); otherwise a peer principal with a warning', () => {
    const rbac = `${ROLE('  - services: ["*"]\n')}---
${BINDING('  - user: alice\n')}`;
    const withOrigin = convert(`${POLICY(`${ORIGIN}  principalBinding: USE_ORIGIN\n`)}---\n${rbac}`);
    const [viaOrigin] = byKind(withOrigin.objs, 'AuthorizationPolicy').filter((o) => o.metadata.name === 'bind-viewer');
    assert.deepEqual(viaOrigin.spec.rules, [{ from: [{ source: { requestPrincipals: ['alice'] } }] }]);
    const withoutPolicy = convert(rbac);
    assert.deepEqual(withoutPolicy.objs[0].spec.rules, [{ from: [{ source: { principals: ['alice'] } }] }]);
    assert.equal(notesWith(withoutPolicy.notes, 'migrate-user-principal')[0].severity, 'warning');
  });

  it('one policy per workload when the role names several services or label values; user "*" allows everyone', () => {
    const input = `${ROLE('  - services: [a.foo.svc.cluster.local, b]\n    methods: [GET]\n')}---
${BINDING('  - user: "*"\n')}`;
    const { objs, text } = convert(input);
    assert.deepEqual(
      objs.map((o) => [o.metadata.name, o.spec.selector.matchLabels.app, o.spec.rules]),
      [
        ['bind-viewer-a', 'a', [{ to: [{ operation: { methods: ['GET'] } }] }]],
        ['bind-viewer-b', 'b', [{ to: [{ operation: { methods: ['GET'] } }] }]],
      ],
    );
    assert.match(text, /# TODO\(istio-sec\): confirm that pods of service a carry label app=a\n/);
  });

  it('the role may come after the binding; binding mode PERMISSIVE → istio.io/dry-run', () => {
    const input = `${BINDING('  - user: cluster.local/ns/foo/sa/x\n').replace('  roleRef:', '  mode: PERMISSIVE\n  roleRef:')}---
${ROLE('  - services: ["*"]\n    paths: [/x]\n')}`;
    const { objs } = convert(input);
    assert.equal(objs.length, 1);
    assert.deepEqual(objs[0].metadata.annotations, { 'istio.io/dry-run': 'true' });
    assert.deepEqual(objs[0].spec.rules[0].to, [{ operation: { paths: ['/x'] } }]);
  });

  it('keeps a role without binding and a binding without role unchanged, with warning notes', () => {
    const role = ROLE('  - services: ["*"]\n', 'name: lonely\n  namespace: foo');
    const binding = BINDING('  - user: "*"\n', 'name: b\n  namespace: foo', 'missing');
    const input = `${role}---\n${binding}`;
    const r = migrateText(input);
    assert.equal(r.text, input);
    assert.deepEqual(
      r.notes.map((n) => [n.code, n.severity]),
      [
        ['migrate-role-unused', 'warning'],
        ['migrate-role-not-found', 'warning'],
      ],
    );
  });
});

const RBAC_CONFIG = (spec: string, kind = 'ClusterRbacConfig') => `apiVersion: rbac.istio.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: default\nspec:\n${spec}`;

describe('migrate: RbacConfig / ClusterRbacConfig modes', () => {
  it('OFF → nothing generated, a comment explains', () => {
    const r = migrateText(RBAC_CONFIG('  mode: "OFF"\n'));
    assert.equal(r.text, '# ClusterRbacConfig default (mode OFF) was removed: with no AuthorizationPolicy Istio allows every request, so nothing replaces it.\n');
    assert.deepEqual(objectsOf(r.text), []);
  });

  it('ON → one allow-nothing policy in the root namespace', () => {
    const { objs, text } = convert(RBAC_CONFIG("  mode: 'ON'\n"));
    assert.deepEqual(objs, [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'istio-system' }, spec: {} }]);
    assert.match(text, /^# ClusterRbacConfig mode ON switched Istio RBAC on/);
  });

  it('ON_WITH_INCLUSION → allow-nothing per included namespace and (guessed selector) service', () => {
    const { objs } = convert(RBAC_CONFIG('  mode: ON_WITH_INCLUSION\n  inclusion:\n    namespaces: [a, b]\n    services: [db.data.svc.cluster.local]\n', 'RbacConfig'));
    assert.deepEqual(
      objs.map((o) => [o.metadata.namespace, o.metadata.name, o.spec]),
      [
        ['a', 'allow-nothing', {}],
        ['b', 'allow-nothing', {}],
        ['data', 'allow-nothing-db', { selector: { matchLabels: { app: 'db' } } }],
      ],
    );
  });

  it('ON_WITH_EXCLUSION → root allow-nothing plus allow-all in excluded namespaces; enforcement_mode PERMISSIVE → dry-run', () => {
    const { objs } = convert(RBAC_CONFIG('  mode: ON_WITH_EXCLUSION\n  exclusion:\n    namespaces: [legacy]\n  enforcement_mode: PERMISSIVE\n'));
    assert.deepEqual(
      objs.map((o) => [o.metadata.namespace, o.metadata.name, o.metadata.annotations, o.spec]),
      [
        ['istio-system', 'allow-nothing', { 'istio.io/dry-run': 'true' }, {}],
        ['legacy', 'allow-all', { 'istio.io/dry-run': 'true' }, { action: 'ALLOW', rules: [{}] }],
      ],
    );
  });
});

describe('migrateText: file handling', () => {
  const SERVICE = '# the service\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n';
  const VS = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n  hosts: [web]\n  http:\n  - route:\n    - destination: {host: web}   # keep me\n';

  it('keeps non-legacy documents, comments, separators and order byte-identical', () => {
    const legacy = '# mesh mTLS, old style\napiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata:\n  name: default\nspec:\n  peers:\n  - mtls: {}\n# trailing note\n';
    const input = `${SERVICE}---\n${legacy}--- # separator comment\n${VS}`;
    const r = migrateText(input);
    assert.ok(r.text.startsWith(`${SERVICE}---\n# mesh mTLS, old style\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\n`), r.text);
    assert.ok(r.text.endsWith(`  mtls:\n    mode: STRICT\n# trailing note\n--- # separator comment\n${VS}`), r.text);
    assert.deepEqual(errorsOf(r.text), []);
  });

  it('is idempotent: converting the output again changes nothing and notes nothing', () => {
    const input = `${SERVICE}---\n${POLICY(`  targets:\n  - name: web\n  peers:\n  - mtls: {}\n${ORIGIN}`)}`;
    const once = migrateText(input).text;
    assert.deepEqual(migrateText(once), { text: once, notes: [] });
  });

  it('a consumed ServiceRole in first place disappears without leaving a leading ---; its comments move to the policy', () => {
    const input = `# role comment\n${ROLE('  - services: ["*"]\n')}---\n${BINDING('  - user: "*"\n')}`;
    const r = migrateText(input);
    assert.ok(r.text.startsWith('# role comment\n# ServiceRole viewer was converted with its binding(s) bind-viewer'), r.text);
    assert.equal(objectsOf(r.text).length, 1);
  });

  it('formats like the input: 4-space indentation, indented sequences, double quotes', () => {
    const input = 'apiVersion: "authentication.istio.io/v1alpha1"\nkind: "Policy"\nmetadata:\n    name: "p"\n    namespace: "foo"\nspec:\n    peers:\n        - mtls: {}\n';
    const { text } = convert(input);
    assert.equal(text, 'apiVersion: "security.istio.io/v1"\nkind: "PeerAuthentication"\nmetadata:\n    name: "p"\n    namespace: "foo"\nspec:\n    mtls:\n        mode: "STRICT"\n');
  });

  it('leaves Mixer documents unchanged with a warning note naming the replacement', () => {
    const input = 'apiVersion: config.istio.io/v1alpha2\nkind: QuotaSpec\nmetadata:\n  name: q\nspec:\n  rules: []\n';
    const r = migrateText(input);
    assert.equal(r.text, input);
    assert.equal(r.notes.length, 1);
    assert.equal(r.notes[0].code, 'migrate-not-converted');
    assert.match(r.notes[0].message, /QuotaSpec was removed in Istio 1\.8.*rate limit/);
    assert.equal(at(r.notes[0]), '0:12-0:36');
  });
});

describe('migrate: malformed legacy documents', () => {
  const HOSTILE = [
    'apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {name: p}\nspec:\n  targets: [1, null, {name: ""}, {name: "a*"}]\n  peers: "x"\n  origins: [null, {jwt: 3}, {jwt: {triggerRules: [null, {excludedPaths: 5}]}}]\n',
    'apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nspec: 7\n',
    'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata: {name: r}\nspec:\n  rules: [null, {services: 5, constraints: [null, {key: 3}]}]\n---\napiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRoleBinding\nmetadata: {name: b}\nspec:\n  subjects: [null, {properties: 4}, {user: 12}]\n  roleRef: {name: r}\n',
    'apiVersion: rbac.istio.io/v1alpha1\nkind: ClusterRbacConfig\nmetadata: {name: default}\nspec:\n  mode: ON_WITH_INCLUSION\n  inclusion: [a]\n',
    'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRoleBinding\nmetadata: {name: b}\nspec:\n  actions: {}\n  roleRef: 3\n',
    'apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {name: [x}\n',
  ];

  it('never throws, in migrateText or in the removed-api fix, and what it generates has no error', () => {
    for (const text of HOSTILE) {
      const r = migrateText(text);
      const generated = r.text
        .split(/^---$/m)
        .filter((d) => d.includes('security.istio.io/v1'))
        .join('---\n');
      assert.deepEqual(errorsOf(generated), [], `${text}\n→\n${r.text}`);
      assert.ok(errorsOf(text).some((e) => /removed-api|yaml-syntax/.test(e)), 'the input itself is still reported');
      if (objectsOf(r.text).length === 0) assert.ok(r.text.trim().startsWith('#') && r.text.trim() !== '', `a document never vanishes without an explanation:\n${r.text}`);
    }
  });
});
