import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material made for one test run by openssl; nothing is kept in the repository. */
export interface TestPki {
  readonly dir: string;
  /** Files of the server side (what OPS_MTLS_*_FILE point at). */
  readonly server: { readonly certFile: string; readonly keyFile: string; readonly clientCaFile: string };
  /** The CA that signed the server certificate, for clients to trust. */
  readonly serverCa: Buffer;
  /** A client certificate and key by name. */
  client(name: string): { readonly cert: Buffer; readonly key: Buffer };
  cleanup(): Promise<void>;
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

function newCa(dir: string, name: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

async function newLeaf(dir: string, name: string, cn: string, ca: string, extensions: string): Promise<void> {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  await writeFile(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`,
  ]);
}

/**
 * Generates, with openssl: a CA; a server certificate for 127.0.0.1/localhost signed by it; client
 * certificates signed by it for each CN of `clients`; and a second, untrusted CA with a client
 * certificate `foreign` (CN smpp-gateway) signed by it.
 */
export async function createTestPki(clients: readonly string[]): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'ops-mtls-'));
  newCa(dir, 'ca');
  newCa(dir, 'other-ca');
  await newLeaf(dir, 'server', 'operator-management', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  for (const cn of clients) await newLeaf(dir, cn, cn, 'ca', 'extendedKeyUsage=clientAuth\n');
  await newLeaf(dir, 'foreign', 'smpp-gateway', 'other-ca', 'extendedKeyUsage=clientAuth\n');

  const files = new Map<string, { cert: Buffer; key: Buffer }>();
  for (const name of [...clients, 'foreign']) {
    files.set(name, { cert: await readFile(join(dir, `${name}.crt`)), key: await readFile(join(dir, `${name}.key`)) });
  }
  return {
    dir,
    server: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), clientCaFile: join(dir, 'ca.crt') },
    serverCa: await readFile(join(dir, 'ca.crt')),
    client(name) {
      const found = files.get(name);
      if (!found) throw new Error(`no client certificate ${name}`);
      return found;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
