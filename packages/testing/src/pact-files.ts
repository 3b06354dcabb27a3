import { mkdtempSync } from 'node:fs';
import { copyFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a Pact consumer test writes its pact: a folder of its own, never the committed file, which a
 * provider test may be reading at the same moment in another worker.
 */
export function pactOutputDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `pact-${label}-`));
}

/**
 * After a consumer test: the pact it wrote must equal the committed one (the provider verifies the
 * committed file). With `UPDATE_PACTS=1` the committed file is replaced instead. Returns the
 * differences as a message, or null when they are the same.
 */
export async function compareWithCommittedPact(outputDir: string, committedDir: string, fileName: string): Promise<string | null> {
  const written = join(outputDir, fileName);
  const committed = join(committedDir, fileName);
  try {
    if (process.env.UPDATE_PACTS === '1') {
      await copyFile(written, committed);
      return null;
    }
    const [fresh, current] = await Promise.all([readFile(written, 'utf8'), readFile(committed, 'utf8').catch(() => '')]);
    if (current === '') return `${committed} is missing: run the consumer test with UPDATE_PACTS=1 and commit it`;
    return JSON.stringify(JSON.parse(fresh)) === JSON.stringify(JSON.parse(current))
      ? null
      : `${committed} no longer matches what the consumer expects: run the consumer test with UPDATE_PACTS=1, commit it, and re-run the provider verification`;
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}
