import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperatorKeyring, OperatorPublicKey } from '../../index.js';

const OPERATOR_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;

/**
 * {@link OperatorKeyring} over a folder of PEM files, `<dir>/<OPERATOR_CODE>/<key id>.pem` (a Kubernetes
 * ConfigMap or secret mount). Read on every import, so a rotated key is used without a restart; several
 * keys per operator verify side by side during a rotation.
 */
export class FileOperatorKeyring implements OperatorKeyring {
  constructor(private readonly dir: string | undefined) {}

  async publicKeysFor(operatorCode: string): Promise<readonly OperatorPublicKey[]> {
    if (this.dir === undefined || !OPERATOR_CODE.test(operatorCode)) return [];
    const folder = join(this.dir, operatorCode);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const keys: OperatorPublicKey[] = [];
    for (const name of names.filter((n) => n.endsWith('.pem')).sort()) {
      keys.push({ keyId: `${operatorCode}/${name.slice(0, -'.pem'.length)}`, publicKeyPem: await readFile(join(folder, name), 'utf8') });
    }
    return keys;
  }
}
