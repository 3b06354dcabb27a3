import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { createDatabase } from '@sms/db';
import { ManualClock, uuidv7Generator } from '@sms/kernel';
import { createNumberingPolicy, InMemoryLeaseCache, InMemoryOperatorKeyring } from '../../src/index.js';
import type { NumberRepository, UnitOfWork } from '../../src/index.js';
import { NumberingCallError } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import { PostgresNumberingStore } from '../../src/adapters/postgres/postgres-numbering.store.js';
import type { NumberingTables } from '../../src/adapters/postgres/numbering-tables.js';
import { createNumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import { startGrpcHarness } from '../support/grpc-harness.js';
import type { GrpcHarness } from '../support/grpc-harness.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, T0 } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';
import { createTestAuth } from '../support/test-auth.js';
import type { TestAuth } from '../support/test-auth.js';

const ACME = 'tenant-acme';
const SHOP = 'tenant-shop';

/** What a rejected call carried: the gRPC status name and the numbering code. */
async function refusal(call: Promise<unknown>): Promise<{ status: string; code: string | null; field?: string | null }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof NumberingCallError) {
      return error.field === null ? { status: status[error.grpcCode], code: error.code } : { status: status[error.grpcCode], code: error.code, field: error.field };
    }
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('the Numbering gRPC API over a real connection', () => {
  let fixture: PostgresFixture;
  let auth: TestAuth;
  let world: PostgresWorld;
  let grpc: GrpcHarness;
  let client: NumberingClient;
  let tokens: { service: string; admin: string; compliance: string; acme: string; shop: string; orchestrator: string };
  let n = 0;
  const fresh = async (): Promise<string> => {
    n += 1;
    const value = `+9370666${String(n).padStart(4, '0')}`;
    await world.addNumbers([value]);
    return value;
  };
  const reserveFor = (tenantId: string, number: string, token: string, idempotencyKey = world.key()) =>
    client.reserve({ idempotencyKey, number, tenantId, tenantPoolId: world.tenantPools[tenantId] ?? '' }, { token });
  const leaseTo = async (tenantId: string, token: string): Promise<string> => {
    const number = await fresh();
    await reserveFor(tenantId, number, token);
    await client.assign({ idempotencyKey: world.key(), number, tenantId, uses: ['otp', 'transactional'] }, { token });
    return number;
  };

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_grpc');
    auth = await createTestAuth();
    world = await createPostgresWorld(fixture, { tenants: [ACME, SHOP] });
    grpc = await startGrpcHarness(world.useCases, auth.verifier);
    client = grpc.client;
    tokens = {
      service: await auth.staff('service'),
      admin: await auth.staff('admin'),
      compliance: await auth.staff('compliance'),
      acme: await auth.tenant(ACME),
      shop: await auth.tenant(SHOP),
      orchestrator: await auth.service('sms-orchestrator'),
    };
  });
  afterAll(async () => {
    await grpc.close();
    await auth.cleanup();
    await fixture.close();
  });

  describe('happy paths', () => {
    it('validates a sender leased to the tenant for the use asked', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      const answer = await client.validateLease({ sender: number, tenantId: ACME, use: 'otp' }, { token: tokens.orchestrator });

      expect(answer).toMatchObject({ valid: true, reason: '', leaseEndsAt: new Date(T0.getTime() + 365 * 86_400_000).toISOString() });
    });

    it('refuses a sender that is leased to another tenant, with the reason', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      const answer = await client.validateLease({ sender: number, tenantId: SHOP, use: 'otp' }, { token: tokens.service });

      expect(answer).toMatchObject({ valid: false, reason: 'not_leased_to_tenant', leaseId: '' });
    });

    it('looks a number up in full for a service and only publicly for another tenant', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      const asService = await client.lookup({ number }, { token: tokens.service });
      const asShop = await client.lookup({ number }, { token: tokens.shop });

      expect([asService.view, asService.full?.lease?.tenantId, asService.full?.state]).toEqual(['full', ACME, 'assigned']);
      expect([asShop.view, asShop.public]).toEqual(['public', { number, kind: 'msisdn', tier: 'standard', operatorCode: 'ROSHAN', state: 'unavailable' }]);
    });

    it('reserves an available number for the calling tenant', async () => {
      const number = await fresh();

      const answer = await client.reserve(
        { idempotencyKey: world.key(), number, tenantId: ACME, tenantPoolId: world.tenantPools[ACME] ?? '', ttlSeconds: 600 },
        { token: tokens.acme },
      );

      expect(answer.number).toMatchObject({
        number,
        state: 'reserved',
        version: 2,
        reservation: { tenantId: ACME, expiresAt: new Date(T0.getTime() + 600_000).toISOString() },
      });
    });

    it('assigns a reserved number as a lease for the uses asked', async () => {
      const number = await fresh();
      await reserveFor(ACME, number, tokens.acme);

      const answer = await client.assign({ idempotencyKey: world.key(), number, tenantId: ACME, uses: ['otp'], termDays: 30, autoRenew: false }, { token: tokens.acme });

      expect(answer.number?.lease).toMatchObject({ tenantId: ACME, uses: ['otp'], autoRenew: false, endsAt: new Date(T0.getTime() + 30 * 86_400_000).toISOString() });
    });

    it('releases a lease into quarantine', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      const answer = await client.release({ idempotencyKey: world.key(), number, tenantId: ACME }, { token: tokens.acme });

      expect(answer.number).toMatchObject({ state: 'quarantined', quarantine: { reason: 'released' } });
    });

    it('recalls a leased number for compliance, after which it no longer validates', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      const answer = await client.recall({ idempotencyKey: world.key(), number, reason: 'compliance_violation', note: 'case 42' }, { token: tokens.compliance });
      const validation = await client.validateLease({ sender: number, tenantId: ACME, use: 'otp' }, { token: tokens.service });

      expect([answer.number?.state, answer.number?.recall?.recalledFrom, validation.valid]).toEqual(['recalled', 'assigned', false]);
    });
  });

  describe('error mappings', () => {
    it('answers NOT_FOUND for a number that is not in the inventory', async () => {
      expect(await refusal(client.lookup({ number: '+93709999999' }, { token: tokens.service }))).toEqual({ status: 'NOT_FOUND', code: 'NUMBERING.NUMBER_NOT_FOUND' });
    });

    it('answers INVALID_ARGUMENT naming the field for a malformed number', async () => {
      expect(await refusal(reserveFor(ACME, '0701234567', tokens.acme))).toEqual({ status: 'INVALID_ARGUMENT', code: 'NUMBERING.INVALID_ARGUMENT', field: 'number' });
    });

    it('answers INVALID_ARGUMENT for a malformed tenant id', async () => {
      const answer = await refusal(client.reserve({ idempotencyKey: world.key(), number: await fresh(), tenantId: 'not a tenant', tenantPoolId: 'x' }, { token: tokens.admin }));

      expect(answer).toEqual({ status: 'INVALID_ARGUMENT', code: 'NUMBERING.INVALID_ARGUMENT', field: 'tenantId' });
    });

    it('answers PERMISSION_DENIED when a tenant acts for another tenant', async () => {
      expect(await refusal(reserveFor(SHOP, await fresh(), tokens.acme))).toEqual({ status: 'PERMISSION_DENIED', code: 'NUMBERING.FORBIDDEN' });
    });

    it('answers PERMISSION_DENIED when a role lacks the permission', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      expect(await refusal(client.recall({ idempotencyKey: world.key(), number, reason: 'regulator_order' }, { token: tokens.acme }))).toEqual({
        status: 'PERMISSION_DENIED',
        code: 'NUMBERING.FORBIDDEN',
      });
    });

    it('answers PERMISSION_DENIED to a tenant calling ValidateLease', async () => {
      expect(await refusal(client.validateLease({ sender: '+93700000001', tenantId: ACME, use: 'otp' }, { token: tokens.acme }))).toEqual({
        status: 'PERMISSION_DENIED',
        code: 'NUMBERING.FORBIDDEN',
      });
    });

    it('answers FAILED_PRECONDITION for a number that is not available', async () => {
      const number = await leaseTo(ACME, tokens.acme);

      expect(await refusal(reserveFor(SHOP, number, tokens.shop))).toEqual({ status: 'FAILED_PRECONDITION', code: 'NUMBERING.NUMBER_NOT_AVAILABLE' });
    });

    it('answers UNAUTHENTICATED without a token and with a forged one', async () => {
      const none = await refusal(client.lookup({ number: '+93700000001' }, { token: '' }));
      const forged = await refusal(client.lookup({ number: '+93700000001' }, { token: `${tokens.service.slice(0, -4)}AAAA` }));

      expect([none, forged]).toEqual([
        { status: 'UNAUTHENTICATED', code: null },
        { status: 'UNAUTHENTICATED', code: null },
      ]);
    });
  });

  describe('idempotency', () => {
    it('answers a retried Reserve with the first result', async () => {
      const number = await fresh();
      const key = world.key();

      const first = await reserveFor(ACME, number, tokens.acme, key);
      const retry = await reserveFor(ACME, number, tokens.acme, key);

      expect(retry).toEqual(first);
    });

    it('refuses the same key for a different request', async () => {
      const key = world.key();
      await reserveFor(ACME, await fresh(), tokens.acme, key);

      expect(await refusal(reserveFor(ACME, await fresh(), tokens.acme, key))).toEqual({
        status: 'INVALID_ARGUMENT',
        code: 'NUMBERING.IDEMPOTENCY_KEY_REUSED',
        field: 'idempotencyKey',
      });
    });

    it('replays a refusal for the same key too', async () => {
      const number = await leaseTo(ACME, tokens.acme);
      const key = world.key();

      const first = await refusal(reserveFor(SHOP, number, tokens.shop, key));
      const retry = await refusal(reserveFor(SHOP, number, tokens.shop, key));

      expect(retry).toEqual(first);
    });
  });

  describe('tenant isolation', () => {
    it("does not let a tenant release, assign or renew another tenant's number", async () => {
      const leased = await leaseTo(ACME, tokens.acme);
      const reserved = await fresh();
      await reserveFor(ACME, reserved, tokens.acme);

      const outcomes = [
        await refusal(client.release({ idempotencyKey: world.key(), number: leased, tenantId: SHOP }, { token: tokens.shop })),
        await refusal(client.assign({ idempotencyKey: world.key(), number: reserved, tenantId: SHOP, uses: ['otp'] }, { token: tokens.shop })),
        await refusal(client.release({ idempotencyKey: world.key(), number: leased, tenantId: ACME }, { token: tokens.shop })),
      ];

      expect(outcomes.map((o) => o.status)).toEqual(['PERMISSION_DENIED', 'PERMISSION_DENIED', 'PERMISSION_DENIED']);
      expect((await client.lookup({ number: leased }, { token: tokens.acme })).full?.state).toBe('assigned');
    });
  });
});

describe('gRPC status for a lost race and for an unreachable database', () => {
  let fixture: PostgresFixture;
  let auth: TestAuth;
  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_grpc_faults');
    auth = await createTestAuth();
  });
  afterAll(async () => {
    await auth.cleanup();
    await fixture.close();
  });

  it('answers ABORTED with NUMBERING.CONFLICT to the loser of a compare-and-swap race', async () => {
    const world = await createPostgresWorld(fixture, { tenants: [ACME, SHOP] });
    const [number] = await world.addNumbers(['+93706669999']);
    // Both transactions read version 1 before either writes.
    let arrived = 0;
    let open = (): void => undefined;
    const bothRead = new Promise<void>((resolve) => {
      open = resolve;
    });
    const paused = (uow: UnitOfWork): UnitOfWork => ({
      run: (work) =>
        uow.run((tx) => {
          const numbers: NumberRepository = Object.create(tx.numbers) as NumberRepository;
          numbers.findByValue = async (value) => {
            const found = await tx.numbers.findByValue(value);
            arrived += 1;
            if (arrived === 2) open();
            await bothRead;
            return found;
          };
          return work({ ...tx, numbers });
        }),
    });
    const useCases = createNumberingUseCases({
      ports: (scope) => {
        const ports = world.schema.store.scoped(scope);
        return { ...ports, unitOfWork: paused(ports.unitOfWork) };
      },
      leaseCache: world.leaseCache,
      clock: world.clock,
      ids: uuidv7Generator,
      policy: createNumberingPolicy(),
      keyring: new InMemoryOperatorKeyring(),
    });
    const grpc = await startGrpcHarness(useCases, auth.verifier);
    const reserve = async (tenantId: string) =>
      grpc.client
        .reserve(
          { idempotencyKey: world.key(), number: number?.value ?? '', tenantId, tenantPoolId: world.tenantPools[tenantId] ?? '' },
          { token: await auth.tenant(tenantId) },
        )
        .then(
          () => 'OK',
          (error: NumberingCallError) => `${status[error.grpcCode]} ${error.code}`,
        );

    const outcomes = await Promise.all([reserve(ACME), reserve(SHOP)]);
    await grpc.close();

    expect(outcomes.sort()).toEqual(['ABORTED NUMBERING.CONFLICT', 'OK']);
  });

  it('answers UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const unreachable = createDatabase<NumberingTables>({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMs: 500 });
    const clock = new ManualClock(T0);
    const store = new PostgresNumberingStore({ db: unreachable.db, schema: 'numbering', roles: fixture.roles, clock });
    const leaseCache = new InMemoryLeaseCache(clock);
    leaseCache.setReachable(false);
    const useCases = createNumberingUseCases({
      ports: (scope) => store.scoped(scope),
      leaseCache,
      clock,
      ids: uuidv7Generator,
      policy: createNumberingPolicy(),
      keyring: new InMemoryOperatorKeyring(),
    });
    const grpc = await startGrpcHarness(useCases, auth.verifier);

    const validate = await refusal(grpc.client.validateLease({ sender: '+93700000001', tenantId: ACME, use: 'otp' }, { token: await auth.staff('service') }));
    const reserve = await refusal(
      grpc.client.reserve({ idempotencyKey: 'k-1', number: '+93700000001', tenantId: ACME, tenantPoolId: 'x' }, { token: await auth.tenant(ACME) }),
    );
    await grpc.close();
    await unreachable.close();

    expect([validate, reserve]).toEqual([
      { status: 'UNAVAILABLE', code: null },
      { status: 'UNAVAILABLE', code: null },
    ]);
  });
});
