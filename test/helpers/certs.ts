/**
 * Test certificates made with the openssl CLI in a temporary directory: a trusted CA, server
 * certificates for 127.0.0.1/localhost (valid, expired, wrong host), a self-signed leaf and a leaf
 * from an unknown CA. Generated once per test process (certCache) and removed at exit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCerts {
  /** The CA clients should trust (PEM). */
  ca: string;
  /** Signed by `ca`, SAN 127.0.0.1 and localhost, valid now. */
  server: KeyPair;
  /** Signed by `ca`, SAN 127.0.0.1 and localhost, expired in 2020. */
  expired: KeyPair;
  /** Signed by `ca`, SAN wrong.example only. */
  wrongHost: KeyPair;
  /** Self-signed leaf for 127.0.0.1/localhost. */
  selfSigned: KeyPair;
  /** Signed by a CA nobody trusts (the chain is not sent). */
  unknownCa: KeyPair;
}

const SERVER_SAN = 'IP:127.0.0.1,DNS:localhost';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  writeFileSync(join(dir, `${name}.index`), '');
  writeFileSync(join(dir, `${name}.serial`), '1000\n');
  writeFileSync(
    join(dir, `${name}.cnf`),
    [
      '[ca]', 'default_ca = this', '[this]', `database = ${name}.index`, `serial = ${name}.serial`, 'new_certs_dir = .',
      `certificate = ${name}.crt`, `private_key = ${name}.key`, 'default_md = sha256', 'policy = any', 'copy_extensions = copy', 'unique_subject = no',
      '[any]', 'commonName = supplied', '',
    ].join('\n'),
  );
}

/** A leaf key and CSR, signed by `ca` with explicit validity dates (YYYYMMDDHHMMSSZ). */
function makeLeaf(dir: string, ca: string, name: string, san: string, start: string, end: string): KeyPair {
  openssl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`]);
  openssl(dir, ['ca', '-batch', '-config', `${ca}.cnf`, '-in', `${name}.csr`, '-out', `${name}.crt`, '-startdate', start, '-enddate', end, '-notext']);
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

function generate(): TestCerts {
  const dir = tempDir('istio-sec-certs-');
  const now = Date.now();
  const from = stamp(new Date(now - 24 * 3600 * 1000));
  const to = stamp(new Date(now + 24 * 3600 * 1000));
  makeCa(dir, 'ca');
  makeCa(dir, 'otherca');
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=self', '-addext', `subjectAltName=${SERVER_SAN}`]);
  return {
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    server: makeLeaf(dir, 'ca', 'server', SERVER_SAN, from, to),
    expired: makeLeaf(dir, 'ca', 'expired', SERVER_SAN, '20200101000000Z', '20200102000000Z'),
    wrongHost: makeLeaf(dir, 'ca', 'wronghost', 'DNS:wrong.example', from, to),
    unknownCa: makeLeaf(dir, 'otherca', 'unknownca', SERVER_SAN, from, to),
    selfSigned: { key: readFileSync(join(dir, 'self.key'), 'utf8'), cert: readFileSync(join(dir, 'self.crt'), 'utf8') },
  };
}

let certCache: TestCerts | undefined;

/** The test certificates, generated on first use. */
export function testCerts(): TestCerts {
  certCache ??= generate();
  return certCache;
}
