import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { isValidEventType, uuidv7 } from '@sms/kernel';
// The contracts package index is the lead's; until it exists the schemas are read from their file.
import { smsOrchestratorEvents } from '../../../../../packages/contracts/src/events/sms-orchestrator.events.js';
import {
  ORCHESTRATOR_EVENTS,
  messageAccepted,
  messageDeadLettered,
  messageStatusChanged,
  outboundRequested,
  subjectForEventType,
} from '../../../src/domain/message-events.js';
import { MESSAGE_STATUSES } from '../../../src/domain/message-status.js';
import { PIPELINE_STAGES } from '../../../src/domain/pipeline-stage.js';
import { SmsMessage } from '../../../src/domain/sms-message.js';
import { validateSubmission } from '../../../src/domain/submission.js';
import { ROUTE } from '../../support/messages.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module, whose `default` is the plugin.
const ajv = ajvFormats.default(new Ajv2020({ allErrors: true, strict: true }));
const NOW = new Date('2026-04-18T10:00:00.000Z');
const LATER = new Date('2026-04-18T10:00:01.500Z');

function realMessage(overrides: Record<string, unknown> = {}): SmsMessage {
  const submission = validateSubmission(
    { to: '+93791234567', from: '12345', body: 'Your code is 482913 €', ...overrides },
    { maxPartsPerMessage: 10, callbackUrlPolicy: { allowLoopbackHttp: false } },
  );
  if (!submission.ok) throw new Error('invalid test submission');
  return SmsMessage.accept({ id: uuidv7(NOW.getTime()), tenantId: 'acme-bank', submission: submission.value, now: NOW });
}

const contractFor = (type: string) => {
  const contract = smsOrchestratorEvents.find((c) => c.type === type);
  if (contract === undefined) throw new Error(`no contract for ${type}`);
  return contract;
};

const conforms = (type: string, data: unknown): string[] => {
  const validate = ajv.compile(contractFor(type).schema);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
};

describe('event catalogue', () => {
  it('names every event <domain>.<entity>.<verb>.v<N>', () => {
    for (const spec of Object.values(ORCHESTRATOR_EVENTS)) expect(isValidEventType(spec.type), spec.type).toBe(true);
  });

  it('publishes the outbound request on the subject the SMPP gateway already consumes', () => {
    expect(subjectForEventType('sms.outbound.requested.v1')).toBe('sms.outbound.request');
  });

  it('knows no subject for a type it does not produce', () => {
    expect(subjectForEventType('numbering.lease.assigned.v1')).toBeNull();
  });

  it('has one contract per produced event with the same type and subject', () => {
    expect(smsOrchestratorEvents.map((c) => [c.type, c.subject])).toEqual(Object.values(ORCHESTRATOR_EVENTS).map((s) => [s.type, s.subject]));
  });

  it('lists in the schemas exactly the statuses and stages the domain has', () => {
    const statusChanged = contractFor('sms.message.status-changed.v1').schema as { properties: { status: { enum: string[] } } };
    const deadLettered = contractFor('sms.message.dead-lettered.v1').schema as { properties: { stage: { enum: string[] } } };
    expect(statusChanged.properties.status.enum).toEqual([...MESSAGE_STATUSES]);
    expect(deadLettered.properties.stage.enum).toEqual([...PIPELINE_STAGES]);
  });

  for (const contract of smsOrchestratorEvents) {
    it(`ships a valid example for ${contract.type}`, () => {
      expect(conforms(contract.type, contract.example)).toEqual([]);
    });
  }
});

describe('event factories', () => {
  it('builds the accepted event in the common envelope, without the body', () => {
    const message = realMessage({ callbackUrl: 'https://hooks.example.com/cb', clientReference: 'ref-1' });
    const event = messageAccepted(message, 'evt-1');
    expect(event).toMatchObject({ id: 'evt-1', type: 'sms.message.accepted.v1', aggregateType: 'sms-message', aggregateId: message.id, tenantId: 'acme-bank', occurredAt: NOW.toISOString() });
    expect(JSON.stringify(event.data)).not.toContain('482913');
  });

  it('builds an accepted event that conforms to its schema', () => {
    expect(conforms('sms.message.accepted.v1', messageAccepted(realMessage(), uuidv7()).data)).toEqual([]);
  });

  it('builds a status-changed event that conforms to its schema', () => {
    const message = realMessage();
    const change = message.reject('ORCH.SENDER_NOT_LEASED', 'not leased', 1, LATER);
    if (!change.ok) throw new Error('unexpected');
    const event = messageStatusChanged(message, change.value, uuidv7(), LATER);
    expect(event.data).toMatchObject({ previousStatus: 'accepted', status: 'rejected', errorCode: 'ORCH.SENDER_NOT_LEASED', changedAt: LATER.toISOString() });
    expect(conforms('sms.message.status-changed.v1', event.data)).toEqual([]);
  });

  it('builds a dead-lettered event that conforms to its schema', () => {
    const message = realMessage();
    message.deadLetter(4, 'routing engine unavailable: timeout', LATER);
    const event = messageDeadLettered(message, { stage: 'route', reason: 'routing engine unavailable: timeout' }, uuidv7(), LATER);
    expect(event.data).toMatchObject({ attempts: 4, stage: 'route', errorCode: 'ORCH.RETRIES_EXHAUSTED' });
    expect(conforms('sms.message.dead-lettered.v1', event.data)).toEqual([]);
  });

  it('builds an outbound request with everything the SMPP gateway needs', () => {
    const message = realMessage({ validityPeriod: 3600 });
    message.markRouted(ROUTE, 2, LATER);
    const event = outboundRequested(message, ROUTE, uuidv7(), LATER);
    expect(event.data).toEqual({
      messageId: message.id,
      tenantId: 'acme-bank',
      from: '12345',
      fromType: 'short_code',
      to: '+93791234567',
      body: 'Your code is 482913 €',
      encoding: 'GSM-7',
      segments: 1,
      operatorId: 'roshan',
      connectionId: 'roshan-smpp-1',
      validityPeriodSeconds: 3600,
      expiresAt: '2026-04-18T11:00:00.000Z',
      attempt: 2,
      clientReference: null,
      requestedAt: LATER.toISOString(),
    });
  });

  it('builds an outbound request that conforms to its schema', () => {
    const message = realMessage({ body: 'سلام 😀'.repeat(20) });
    message.markRouted(ROUTE, 1, LATER);
    expect(conforms('sms.outbound.requested.v1', outboundRequested(message, ROUTE, uuidv7(), LATER).data)).toEqual([]);
  });

  it('refuses an event with a property the schema does not list', () => {
    const data = { ...messageAccepted(realMessage(), uuidv7()).data, body: 'leak' };
    expect(conforms('sms.message.accepted.v1', data)).not.toEqual([]);
  });
});
