import { fileURLToPath } from 'node:url';
import { credentials, status } from '@grpc/grpc-js';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLeaseJson } from '@sms/contracts';
import type { ProtoJsonObject } from '@sms/contracts';
import { compareWithCommittedPact, pactOutputDir } from '@sms/testing';
import type { LeaseCheckResult } from '../../src/application/ports/sender-lease-checker.port.js';
import { GrpcSenderLeaseChecker } from '../../src/adapters/grpc/grpc-sender-lease.checker.js';
import { createNumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import { staticServiceToken } from '../../src/adapters/service-token.js';
import { startStubNumbering } from '../support/stub-numbering.js';
import type { StubLeaseAnswer, StubNumbering } from '../support/stub-numbering.js';

// Consumer side of the ValidateLease contract with numbering-service, as a Pact V4 synchronous-message
// pact: each interaction is one call, its request and response in the proto3 JSON mapping of
// sms.numbering.v1 (a refusal: its gRPC status and numbering error code, as the protobuf plugin would put
// them in the response metadata). Pact's protobuf plugin is downloaded at run time, which this machine
// cannot do (docs/api.md). The test plays each response through a gRPC server serving the shared proto,
// so the orchestrator's real client decodes it from the wire and its real adapter maps it to the port's
// result; the request the client sent must be the pact's request. numbering-service verifies the
// committed pact against its real gRPC server (its test/contract/).
const committedPacts = fileURLToPath(new URL('../../pacts', import.meta.url));
const PACT_FILE = 'sms-orchestrator-numbering-service.json';
const pactOutput = pactOutputDir('numbering');
const pact = new PactV4({ consumer: 'sms-orchestrator', provider: 'numbering-service', dir: pactOutput, logLevel: 'error' });
const codecs = validateLeaseJson();

const TENANT = 'tenant-t';
const SHORT_CODE = '4455';
const request = (sender = SHORT_CODE) => ({ sender, tenantId: TENANT, use: 'transactional' });
const query = (sender = SHORT_CODE) => ({ tenantId: TENANT, sender: { kind: 'short_code' as const, value: sender }, at: new Date() });
const refused = (reason: string) => ({ valid: false, reason });

/** What `executeTest` hands over: the interaction's request and responses as their example contents. */
interface SynchronousMessage {
  readonly Request: { readonly content: unknown };
  readonly Response: readonly { readonly content: unknown }[];
}

let stub: StubNumbering;
let client: NumberingClient;

beforeAll(async () => {
  stub = await startStubNumbering();
  client = createNumberingClient(stub.address, credentials.createInsecure(), { timeoutMs: 5_000 });
});
afterAll(async () => {
  client.close();
  await stub.stop();
});

const json = (content: unknown): unknown => JSON.parse(Buffer.isBuffer(content) ? content.toString('utf8') : JSON.stringify(content));

/** The pact's response as the stub's answer: a response message, or a refusal with its numbering code. */
function answerOf(content: unknown): StubLeaseAnswer {
  if (typeof content === 'object' && content !== null && 'grpc-status' in content) {
    const refusal = content as Record<string, unknown>;
    const code = status[refusal['grpc-status'] as keyof typeof status];
    if (typeof code !== 'number') throw new Error(`the pact names an unknown gRPC status: ${String(refusal['grpc-status'])}`);
    const numberingCode = refusal['numbering-error-code'];
    return typeof numberingCode === 'string' ? { error: code, code: numberingCode } : { error: code };
  }
  return { response: codecs.response.fromJson(content) };
}

/**
 * One call of the orchestrator's real lease checker against a server answering the interaction's response;
 * the request it sent must be the interaction's request. Answers what the checker made of the response.
 */
async function exchange(message: SynchronousMessage, sender = SHORT_CODE): Promise<{ result: LeaseCheckResult; sent: ProtoJsonObject[] }> {
  const [response] = message.Response;
  if (response === undefined) throw new Error('the interaction has no response');
  const expected = codecs.request.toJson(codecs.request.fromJson(json(message.Request.content)));
  stub.answer(() => answerOf(json(response.content)));
  const before = stub.calls.length;

  const result = await new GrpcSenderLeaseChecker({ client, tokens: staticServiceToken('svc-token'), timeoutMs: 5_000 }).check(query(sender));

  const sent = stub.calls.slice(before).map((call) => codecs.request.toJson(call.request));
  expect(sent).toEqual([expected]);
  return { result, sent };
}

const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';

describe('the numbering-service ValidateLease contract (Pact; consumer: sms-orchestrator)', () => {
  it('learns that a short code leased to the tenant for the use is leased', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for a short code leased to the tenant')
      .given('short code 4455 is leased to tenant-t for transactional use')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) =>
        r.withJSONContent({
          valid: true,
          leaseId: MatchersV3.uuid('0196486e-2c00-7000-8000-000000000001'),
          numberId: MatchersV3.uuid('0196486e-2c00-7000-8000-000000000002'),
          leaseEndsAt: MatchersV3.regex(ISO_INSTANT, '2027-05-01T10:00:00.000Z'),
        }),
      )
      .executeTest(async (message) => {
        const { result } = await exchange(message);

        expect(result).toEqual({ outcome: 'leased' });
      });
  });

  it('learns that a short code leased to nobody is not leased', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for an available short code')
      .given('short code 4455 is available')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) => r.withJSONContent(refused('not_leased')))
      .executeTest(async (message) => {
        expect((await exchange(message)).result).toEqual({ outcome: 'not-leased', reason: 'not_leased' });
      });
  });

  it('learns that a quarantined short code is not leased', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for a short code in quarantine')
      .given('short code 4455 is quarantined after tenant-t released it')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) => r.withJSONContent(refused('not_leased')))
      .executeTest(async (message) => {
        expect((await exchange(message)).result).toEqual({ outcome: 'not-leased', reason: 'not_leased' });
      });
  });

  it('learns that a short code leased to another tenant is not leased to this one', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for a short code leased to another tenant')
      .given('short code 4455 is leased to tenant-other')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) => r.withJSONContent(refused('not_leased_to_tenant')))
      .executeTest(async (message) => {
        expect((await exchange(message)).result).toEqual({ outcome: 'not-leased', reason: 'not_leased_to_tenant' });
      });
  });

  it('learns that a lease past its end no longer counts', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for a short code whose lease has ended')
      .given('the lease of short code 4455 to tenant-t has ended')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) => r.withJSONContent(refused('lease_not_active')))
      .executeTest(async (message) => {
        expect((await exchange(message)).result).toEqual({ outcome: 'not-leased', reason: 'lease_not_active' });
      });
  });

  it('learns that a lease for other uses does not cover transactional messages', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for a use the lease does not permit')
      .given('short code 4455 is leased to tenant-t for promotional use only')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) => r.withJSONContent(refused('use_not_permitted')))
      .executeTest(async (message) => {
        expect((await exchange(message)).result).toEqual({ outcome: 'not-leased', reason: 'use_not_permitted' });
      });
  });

  it('learns that a sender outside the inventory is unknown', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call for a short code not in the inventory')
      .given('short code 4455 is not in the inventory')
      .withRequest((r) => r.withJSONContent(request()))
      .withResponse((r) => r.withJSONContent(refused('unknown_sender')))
      .executeTest(async (message) => {
        expect((await exchange(message)).result).toEqual({ outcome: 'not-leased', reason: 'unknown_sender' });
      });
  });

  // The submit API refuses such a sender before the pipeline (both sides hold 3–6 digits); should one reach
  // numbering anyway, INVALID_ARGUMENT is taken as permanent (the message is rejected, not retried).
  it('takes a sender numbering refuses as malformed as not leased', async () => {
    await pact
      .addSynchronousInteraction('a ValidateLease call with a 7-digit short code')
      .withRequest((r) => r.withJSONContent(request('4455667')))
      .withResponse((r) => r.withJSONContent({ 'grpc-status': 'INVALID_ARGUMENT', 'numbering-error-code': 'NUMBERING.INVALID_ARGUMENT' }))
      .executeTest(async (message) => {
        const { result } = await exchange(message, '4455667');

        expect(result.outcome).toBe('not-leased');
        expect(result.outcome === 'not-leased' ? result.reason : '').toContain('INVALID_ARGUMENT NUMBERING.INVALID_ARGUMENT');
      });
  });
});

// numbering-service verifies the committed pact; this keeps it equal to what the consumer really expects.
afterAll(async () => {
  expect(await compareWithCommittedPact(pactOutput, committedPacts, PACT_FILE)).toBeNull();
});
