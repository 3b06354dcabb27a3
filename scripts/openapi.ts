// npm run openapi:generate | openapi:check [-- --base <git revision>]
// Writes or verifies services/<name>/openapi.json; the rules live in @sms/http (runOpenApiCommand).
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runOpenApiCommand } from '@sms/http';
import type { OpenApiCommandIo } from '@sms/http';
import { openApiServices } from './openapi-services.js';

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const [command, ...rest] = process.argv.slice(2);
const baseIndex = rest.indexOf('--base');
const baseRevision = baseIndex === -1 ? undefined : rest[baseIndex + 1];

if ((command !== 'generate' && command !== 'check') || (baseIndex !== -1 && baseRevision === undefined)) {
  process.stderr.write('usage: tsx scripts/openapi.ts generate | check [--base <git revision>]\n');
  process.exit(64);
}

const io: OpenApiCommandIo = {
  readFile: (path) => readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }),
  writeFile: (path, text) => writeFile(path, text, 'utf8'),
  readAtRevision: (revision, path) => {
    try {
      const text = execFileSync('git', ['show', `${revision}:${path}`], { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return Promise.resolve(text);
    } catch {
      return Promise.resolve(undefined);
    }
  },
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const exitCode = await runOpenApiCommand(command, openApiServices, io, {
  rootDir,
  ...(baseRevision !== undefined ? { baseRevision } : {}),
});
// Building a document may leave handles open (timers of a metrics registry); the verdict is final.
process.exit(exitCode);
