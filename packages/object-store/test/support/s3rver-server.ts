import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface RecordedS3Request {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface S3rverServer {
  readonly endpoint: string;
  readonly bucket: string;
  /** Every request s3rver received, headers included (s3rver itself ignores Object Lock and If-None-Match on PUT). */
  readonly requests: RecordedS3Request[];
  close(): Promise<void>;
}

/** Starts s3rver on a free localhost port with its files in a fresh temporary folder and one bucket. */
export async function startS3rver(bucket: string): Promise<S3rverServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const requests: RecordedS3Request[] = [];
  server.httpServer?.on('request', (req: { method?: string; url?: string; headers: IncomingHttpHeaders }) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    requests,
    close: async () => {
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
