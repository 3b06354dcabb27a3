import { uniqueName } from '@sms/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3ObjectStore, ObjectStoreUnavailableError } from '../../src/index.js';
import type { S3ObjectStore } from '../../src/index.js';
import { describeObjectStoreContract } from '../contract/object-store.contract.js';
import { closedPort } from '../support/closed-port.js';
import { startS3rver } from '../support/s3rver-server.js';
import type { RecordedS3Request, S3rverServer } from '../support/s3rver-server.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const s3StoreFor = (endpoint: string, bucket: string, extra: { maxAttempts?: number; timeoutMs?: number } = {}): S3ObjectStore =>
  createS3ObjectStore({ endpoint, region: 'us-east-1', bucket, credentials, forcePathStyle: true, ...extra });

describeObjectStoreContract('S3 (against s3rver)', async () => {
  const server = await startS3rver(uniqueName('bucket').replace(/_/g, '-'));
  const store = s3StoreFor(server.endpoint, server.bucket);
  const unavailableStore = s3StoreFor(`http://127.0.0.1:${await closedPort()}`, server.bucket, { maxAttempts: 1 });
  return {
    store,
    unavailableStore,
    close: async () => {
      store.close();
      unavailableStore.close();
      await server.close();
    },
  };
});

describe('S3 object store requests', () => {
  let server: S3rverServer;
  let store: S3ObjectStore;
  const body = new TextEncoder().encode('msisdn,operator\n93700000001,roshan\n');

  beforeAll(async () => {
    server = await startS3rver(uniqueName('bucket').replace(/_/g, '-'));
    store = s3StoreFor(server.endpoint, server.bucket);
  });

  afterAll(async () => {
    store.close();
    await server.close();
  });

  const lastRequest = (method: string, key: string): RecordedS3Request | undefined =>
    server.requests.filter((r) => r.method === method && r.url.startsWith(`/${server.bucket}/${key}`)).at(-1);

  it('sends Object Lock compliance mode, the retain-until date and a SHA-256 checksum with a retained put', async () => {
    const retainUntil = new Date(Date.now() + 365 * 24 * 3600 * 1000);

    await store.put('exports/2026-01/atra.csv', body, { retainUntil, contentType: 'text/csv' });

    const headers = lastRequest('PUT', 'exports/2026-01/atra.csv')?.headers ?? {};
    expect({
      mode: headers['x-amz-object-lock-mode'],
      until: headers['x-amz-object-lock-retain-until-date'],
      algorithm: headers['x-amz-sdk-checksum-algorithm'],
      checksum: headers['x-amz-checksum-sha256'],
    }).toEqual({
      mode: 'COMPLIANCE',
      until: retainUntil.toISOString(),
      algorithm: 'SHA256',
      checksum: Buffer.from(await crypto.subtle.digest('SHA-256', body)).toString('base64'),
    });
  });

  it('sends no Object Lock headers without retainUntil', async () => {
    await store.put('imports/roshan.csv', body);

    const headers = lastRequest('PUT', 'imports/roshan.csv')?.headers ?? {};
    expect([headers['x-amz-object-lock-mode'], headers['x-amz-object-lock-retain-until-date']]).toEqual([undefined, undefined]);
  });

  it('sends If-None-Match: * with an ifAbsent put', async () => {
    await store.put('imports/mtn.csv', body, { ifAbsent: true });

    expect(lastRequest('PUT', 'imports/mtn.csv')?.headers['if-none-match']).toBe('*');
  });

  it('checks with HeadObject before an ifAbsent put, since not every server honours If-None-Match', async () => {
    const before = server.requests.length;

    await store.put('imports/awcc.csv', body, { ifAbsent: true });

    expect(server.requests.slice(before).map((r) => r.method)).toEqual(['HEAD', 'PUT']);
  });

  it('reports a bucket that does not exist as unavailable on ping', async () => {
    const missing = s3StoreFor(server.endpoint, 'no-such-bucket', { maxAttempts: 1 });
    try {
      await expect(missing.ping()).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    } finally {
      missing.close();
    }
  });

  it('reports a server that stopped as unreachable', async () => {
    const doomed = await startS3rver(uniqueName('bucket').replace(/_/g, '-'));
    const doomedStore = s3StoreFor(doomed.endpoint, doomed.bucket, { maxAttempts: 1 });
    await doomedStore.put('imports/salaam.csv', body);
    await doomed.close();
    try {
      await expect(doomedStore.get('imports/salaam.csv')).rejects.toMatchObject({
        name: 'ObjectStoreUnavailableError',
        reason: 'unreachable',
      });
    } finally {
      doomedStore.close();
    }
  });
});
