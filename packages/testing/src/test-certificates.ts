import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its private key, as PEM text and as the files they were written to. */
export interface TestCertificate {
  readonly certPem: Buffer;
  readonly keyPem: Buffer;
  readonly certFile: string;
  readonly keyFile: string;
}

/** A certificate authority made for one test: issues server and client certificates (P-256, valid for a day). */
export interface TestCertificateAuthority {
  readonly name: string;
  readonly certPem: Buffer;
  readonly certFile: string;
  /**
   * A server certificate with `name` as its common name, for the subject alternative names given
   * (default `DNS:localhost` and `IP:127.0.0.1`).
   */
  issueServer(name: string, altNames?: readonly string[]): Promise<TestCertificate>;
  /** A client certificate with `name` as its common name (extended key usage `clientAuth`). */
  issueClient(name: string): Promise<TestCertificate>;
}

/** Certificate authorities in a temporary folder; `cleanup()` deletes the folder and every key in it. */
export interface TestPki {
  authority(name: string): Promise<TestCertificateAuthority>;
  cleanup(): Promise<void>;
}

const safe = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Test keys and certificates made with the `openssl` command line (node:crypto cannot sign X.509
 * certificates). Nothing is committed: every run makes its own, in a folder of its own.
 */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'test-pki-'));
  let serial = 0;

  async function authority(name: string): Promise<TestCertificateAuthority> {
    const base = join(dir, `ca-${safe(name)}`);
    const certFile = `${base}.crt`;
    const keyFile = `${base}.key`;
    await run('openssl', [
      'req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);

    async function issue(leaf: string, extensions: string): Promise<TestCertificate> {
      serial += 1;
      const leafBase = join(dir, `${safe(name)}-${safe(leaf)}-${serial}`);
      const leafKey = `${leafBase}.key`;
      const leafCert = `${leafBase}.crt`;
      await writeFile(`${leafBase}.ext`, extensions);
      await run('openssl', ['req', ...EC_KEY, '-keyout', leafKey, '-out', `${leafBase}.csr`, '-subj', `/CN=${leaf}`]);
      await run('openssl', [
        'x509', '-req', '-in', `${leafBase}.csr`, '-CA', certFile, '-CAkey', keyFile, '-set_serial', String(serial),
        '-out', leafCert, '-days', '1', '-extfile', `${leafBase}.ext`,
      ]);
      return { certPem: await readFile(leafCert), keyPem: await readFile(leafKey), certFile: leafCert, keyFile: leafKey };
    }

    return {
      name,
      certPem: await readFile(certFile),
      certFile,
      issueServer: (leaf, altNames = ['DNS:localhost', 'IP:127.0.0.1']) =>
        issue(leaf, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames.join(',')}\n`),
      issueClient: (leaf) => issue(leaf, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n'),
    };
  }

  return { authority, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
