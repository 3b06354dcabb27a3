import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareWithCommitted, majorVersionOf, runOpenApiCommand, serializeOpenApiDocument } from '@sms/http';
import type { OpenApiCommandIo, OpenApiService } from '@sms/http';

function document(version: string, responseProperties: Record<string, unknown> = { id: { type: 'string' } }) {
  return {
    paths: {
      '/v1/sms': {
        post: {
          responses: {
            '202': {
              description: 'accepted',
              content: { 'application/json': { schema: { type: 'object', properties: responseProperties, required: Object.keys(responseProperties) } } },
            },
          },
        },
      },
    },
    info: { version, title: 'sms-orchestrator' },
    openapi: '3.1.0',
  };
}

const withStatus = (version: string) => document(version, { id: { type: 'string' }, status: { type: 'string' } });

describe('serializeOpenApiDocument', () => {
  it('writes the top level in specification order, other keys sorted, 2-space indent and a trailing newline', () => {
    const text = serializeOpenApiDocument({ paths: {}, info: { version: '1.0.0', title: 't' }, openapi: '3.1.0' });

    expect(text).toBe('{\n  "openapi": "3.1.0",\n  "info": {\n    "title": "t",\n    "version": "1.0.0"\n  },\n  "paths": {}\n}\n');
  });

  it('gives the same bytes whatever the key insertion order', () => {
    const a = { openapi: '3.1.0', paths: { '/b': {}, '/a': {} } };
    const b = { paths: { '/a': {}, '/b': {} }, openapi: '3.1.0' };

    expect(serializeOpenApiDocument(a)).toBe(serializeOpenApiDocument(b));
  });
});

describe('majorVersionOf', () => {
  it.each([
    ['2.1.0', 2],
    ['v3', 3],
    ['0.4.1', 0],
  ])('reads %s as major %s', (version, major) => {
    expect(majorVersionOf({ info: { version } })).toBe(major);
  });

  it('has none for a version without digits', () => {
    expect(majorVersionOf({ info: { version: 'latest' } })).toBeUndefined();
  });
});

describe('compareWithCommitted', () => {
  it('is up to date when the bytes are identical', () => {
    expect(compareWithCommitted(serializeOpenApiDocument(withStatus('1.0.0')), withStatus('1.0.0'))).toEqual({ status: 'up-to-date' });
  });

  it('is stale when the API changed compatibly', () => {
    const outcome = compareWithCommitted(serializeOpenApiDocument(document('1.0.0')), withStatus('1.1.0'));

    expect(outcome).toMatchObject({ status: 'stale', majorBumped: false });
  });

  it('refuses a breaking change without a major version bump', () => {
    const outcome = compareWithCommitted(serializeOpenApiDocument(withStatus('1.0.0')), document('1.1.0'));

    expect(outcome).toMatchObject({ status: 'breaking', committedVersion: '1.0.0', generatedVersion: '1.1.0', breaking: [{ rule: 'response-property-removed' }] });
  });

  it('allows a breaking change with a major version bump (the file is then only stale)', () => {
    const outcome = compareWithCommitted(serializeOpenApiDocument(withStatus('1.4.0')), document('2.0.0'));

    expect(outcome).toMatchObject({ status: 'stale', majorBumped: true });
  });
});

describe('runOpenApiCommand', () => {
  let root: string;
  let out: string[];
  let err: string[];
  let io: OpenApiCommandIo;
  const file = () => join(root, 'services/sms-orchestrator/openapi.json');
  const service = (doc: unknown): OpenApiService[] => [{ name: 'sms-orchestrator', dir: 'services/sms-orchestrator', build: () => Promise.resolve(doc) }];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'openapi-command-'));
    await mkdir(join(root, 'services/sms-orchestrator'), { recursive: true });
    out = [];
    err = [];
    io = {
      readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
      writeFile: (path, text) => writeFile(path, text, 'utf8'),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('generate writes the stable serialization of each service document', async () => {
    const code = await runOpenApiCommand('generate', service(document('1.0.0')), io, { rootDir: root });

    expect(code).toBe(0);
    expect(await readFile(file(), 'utf8')).toBe(serializeOpenApiDocument(document('1.0.0')));
    expect(out).toEqual(['sms-orchestrator: wrote services/sms-orchestrator/openapi.json']);
  });

  it('check passes when the committed file is current', async () => {
    await writeFile(file(), serializeOpenApiDocument(document('1.0.0')));

    const code = await runOpenApiCommand('check', service(document('1.0.0')), io, { rootDir: root });

    expect(code).toBe(0);
    expect(err).toEqual([]);
  });

  it('check fails on a missing file and says how to create it', async () => {
    const code = await runOpenApiCommand('check', service(document('1.0.0')), io, { rootDir: root });

    expect(code).toBe(1);
    expect(err.join('\n')).toContain('is missing; run `npm run openapi:generate`');
  });

  it('check fails on a compatibly changed API, asking to regenerate', async () => {
    await writeFile(file(), serializeOpenApiDocument(document('1.0.0')));

    const code = await runOpenApiCommand('check', service(withStatus('1.1.0')), io, { rootDir: root });

    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/is stale .*run `npm run openapi:generate`/);
  });

  it('check fails on a breaking change and lists it', async () => {
    await writeFile(file(), serializeOpenApiDocument(withStatus('1.0.0')));

    const code = await runOpenApiCommand('check', service(document('1.0.1')), io, { rootDir: root });

    expect(code).toBe(1);
    expect(err.join('\n')).toContain('1 breaking change(s)');
    expect(err.join('\n')).toContain('POST /v1/sms response 202 (application/json) body.status: property removed');
  });

  it('generate refuses to write a breaking change without a major bump and leaves the file alone', async () => {
    const committed = serializeOpenApiDocument(withStatus('1.0.0'));
    await writeFile(file(), committed);

    const code = await runOpenApiCommand('generate', service(document('1.1.0')), io, { rootDir: root });

    expect(code).toBe(1);
    expect(await readFile(file(), 'utf8')).toBe(committed);
  });

  it('generate writes a breaking change once the major version is raised', async () => {
    await writeFile(file(), serializeOpenApiDocument(withStatus('1.0.0')));

    const code = await runOpenApiCommand('generate', service(document('2.0.0')), io, { rootDir: root });

    expect(code).toBe(0);
    expect(out[0]).toContain('breaking changes, major version raised');
  });

  it('check with a base revision refuses a breaking change already committed', async () => {
    await writeFile(file(), serializeOpenApiDocument(document('1.1.0')));
    const baseIo: OpenApiCommandIo = { ...io, readAtRevision: () => Promise.resolve(serializeOpenApiDocument(withStatus('1.0.0'))) };

    const code = await runOpenApiCommand('check', service(document('1.1.0')), baseIo, { rootDir: root, baseRevision: 'origin/main' });

    expect(code).toBe(1);
    expect(err.join('\n')).toContain('breaking change(s) against origin/main');
  });

  it('does nothing, successfully, when no service is registered', async () => {
    const code = await runOpenApiCommand('check', [], io, { rootDir: root });

    expect(code).toBe(0);
    expect(out[0]).toContain('no services registered');
  });
});
