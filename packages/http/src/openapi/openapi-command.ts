import { join } from 'node:path';
import { formatChange } from './openapi-diff.js';
import { compareWithCommitted, serializeOpenApiDocument } from './openapi-file.js';
import type { OpenApiFileStatus } from './openapi-file.js';

/** One service whose OpenAPI document is committed at `<dir>/openapi.json`. */
export interface OpenApiService {
  readonly name: string;
  /** Relative to the repository root, e.g. `services/sms-orchestrator`. */
  readonly dir: string;
  readonly build: () => Promise<unknown>;
}

/** File access for the command, so it can run against a temporary folder in tests. */
export interface OpenApiCommandIo {
  readFile(path: string): Promise<string | undefined>;
  writeFile(path: string, text: string): Promise<void>;
  /** The file as of a git revision (for `check --base <rev>`); undefined when it did not exist there. */
  readAtRevision?(revision: string, path: string): Promise<string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

export interface OpenApiCommandOptions {
  readonly rootDir: string;
  /** `check` also gates breaking changes against the file at this git revision (CI: the target branch). */
  readonly baseRevision?: string;
}

const REGENERATE = 'run `npm run openapi:generate` and commit the result';

function breakingReport(name: string, file: string, status: Extract<OpenApiFileStatus, { status: 'breaking' }>, against: string): string[] {
  return [
    `${name}: ${file} has ${status.breaking.length} breaking change(s) against ${against} (version ${status.committedVersion} -> ${status.generatedVersion}):`,
    ...status.breaking.map((change) => `  - ${formatChange(change)}`),
    `  Keep the API compatible, or raise the major part of info.version (the service's API version) to publish a breaking change.`,
  ];
}

/**
 * `generate` writes each service's `openapi.json`, refusing (exit 1) a document with breaking
 * changes against the file it replaces unless the major version grew. `check` regenerates in memory
 * and fails when a committed file is missing, stale or broken. Resolves with the exit code.
 */
export async function runOpenApiCommand(
  command: 'generate' | 'check',
  services: readonly OpenApiService[],
  io: OpenApiCommandIo,
  options: OpenApiCommandOptions,
): Promise<number> {
  if (services.length === 0) {
    io.out('openapi: no services registered in scripts/openapi-services.ts; nothing to do');
    return 0;
  }
  let exitCode = 0;
  for (const service of services) {
    const file = join(service.dir, 'openapi.json');
    const path = join(options.rootDir, file);
    const document = await service.build();
    const text = serializeOpenApiDocument(document);
    const status = compareWithCommitted(await io.readFile(path), document);

    if (status.status === 'breaking') {
      for (const line of breakingReport(service.name, file, status, 'the committed file')) io.err(line);
      exitCode = 1;
      continue;
    }

    if (command === 'generate') {
      if (status.status === 'up-to-date') {
        io.out(`${service.name}: ${file} is up to date`);
      } else {
        await io.writeFile(path, text);
        const note = status.status === 'stale' && status.majorBumped ? ' (breaking changes, major version raised)' : '';
        io.out(`${service.name}: wrote ${file}${note}`);
      }
      continue;
    }

    if (status.status === 'missing') {
      io.err(`${service.name}: ${file} is missing; ${REGENERATE}`);
      exitCode = 1;
    } else if (status.status === 'stale') {
      io.err(`${service.name}: ${file} is stale (the API changed, ${status.changes.length} change(s) detected); ${REGENERATE}`);
      exitCode = 1;
    } else {
      io.out(`${service.name}: ${file} is up to date`);
    }

    if (options.baseRevision !== undefined && io.readAtRevision) {
      const base = await io.readAtRevision(options.baseRevision, file);
      const againstBase = compareWithCommitted(base, document);
      if (againstBase.status === 'breaking') {
        for (const line of breakingReport(service.name, file, againstBase, options.baseRevision)) io.err(line);
        exitCode = 1;
      }
    }
  }
  return exitCode;
}
