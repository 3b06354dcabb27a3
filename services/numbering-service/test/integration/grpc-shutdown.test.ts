import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { uuidv7Generator } from '@sms/kernel';
import { createNumberingPolicy, InMemoryOperatorKeyring } from '../../src/index.js';
import type { UnitOfWork } from '../../src/index.js';
import { shutdownGrpc } from '../../src/adapters/grpc/numbering-grpc.server.js';
import type { NumberingCallError } from '../../src/adapters/grpc/numbering-contract.js';
import { createNumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import { startGrpcHarness } from '../support/grpc-harness.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld } from '../support/postgres-world.js';
import { createTestAuth } from '../support/test-auth.js';
import type { TestAuth } from '../support/test-auth.js';

const ACME = 'tenant-acme';

/** A unit of work that tells when a call entered it and waits for the test to let it go on. */
function heldUnitOfWork(inner: UnitOfWork) {
  let entered = (): void => undefined;
  let release = (): void => undefined;
  const inside = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const unitOfWork: UnitOfWork = {
    run: (work) =>
      inner.run(async (tx) => {
        entered();
        await released;
        return work(tx);
      }),
  };
  return { unitOfWork, inside, release };
}

describe('graceful shutdown of the gRPC server', () => {
  let fixture: PostgresFixture;
  let auth: TestAuth;
  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_grpc_shutdown');
    auth = await createTestAuth();
  });
  afterAll(async () => {
    await auth.cleanup();
    await fixture.close();
  });

  async function serverWithHeldCall() {
    const world = await createPostgresWorld(fixture, { tenants: [ACME] });
    const [number] = await world.addNumbers(['+93707770001']);
    let held: ReturnType<typeof heldUnitOfWork> | undefined;
    const useCases = createNumberingUseCases({
      ports: (scope) => {
        const ports = world.schema.store.scoped(scope);
        held ??= heldUnitOfWork(ports.unitOfWork);
        return { ...ports, unitOfWork: held.unitOfWork };
      },
      leaseCache: world.leaseCache,
      clock: world.clock,
      ids: uuidv7Generator,
      policy: createNumberingPolicy(),
      keyring: new InMemoryOperatorKeyring(),
    });
    const grpc = await startGrpcHarness(useCases, auth.verifier);
    const token = await auth.tenant(ACME);
    const call = grpc.client
      .reserve({ idempotencyKey: world.key(), number: number?.value ?? '', tenantId: ACME, tenantPoolId: world.tenantPools[ACME] ?? '' }, { token })
      .then(
        (answer) => answer.number?.state ?? 'none',
        (error: NumberingCallError) => status[error.grpcCode],
      );
    // forActor is called when the call arrives, which builds the held unit of work.
    for (let i = 0; i < 200 && held === undefined; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    if (held === undefined) throw new Error('arrange: the call never reached the service');
    await held.inside;
    return { grpc, call, release: held.release };
  }

  it('lets an in-flight call finish before it stops', async () => {
    const { grpc, call, release } = await serverWithHeldCall();

    const stopping = shutdownGrpc(grpc.server, 5000);
    release();

    expect([await call, await stopping]).toEqual(['reserved', true]);
    grpc.client.close();
  });

  it('cuts a call that outlasts the grace period', async () => {
    const { grpc, call, release } = await serverWithHeldCall();

    const stopped = await shutdownGrpc(grpc.server, 200);
    const outcome = await call;
    release();

    expect([stopped, outcome === 'reserved']).toEqual([false, false]);
    grpc.client.close();
  });
});
