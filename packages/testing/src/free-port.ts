import { createServer } from 'node:net';

/** A TCP port nothing listens on right now (the OS picks it), for servers a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Below Linux's ephemeral range (32768-60999), so outgoing connections of other tests cannot take the
// ports between the check and the listen.
const RANGE_LOW = 20_000;
const RANGE_HIGH = 32_000;

/**
 * `count` consecutive free ports (the runtime puts the i-th service on BASE_PORT + i); returns the first.
 * Chosen at random below the ephemeral range, so that a port checked free stays free until the test listens.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = RANGE_LOW + Math.floor(Math.random() * (RANGE_HIGH - RANGE_LOW - count));
    let allFree = true;
    for (let port = base; port < base + count && allFree; port += 1) allFree = await isFree(port);
    if (allFree) return base;
  }
  throw new Error(`no ${count} consecutive free ports found between ${RANGE_LOW} and ${RANGE_HIGH}`);
}
