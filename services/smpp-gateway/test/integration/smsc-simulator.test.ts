import smpp from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { SmscSimulator } from '../../src/adapters/simulator/smsc-simulator.js';
import type { SmscSimulatorOptions } from '../../src/adapters/simulator/smsc-simulator.js';
import { splitMessage } from '../../src/domain/message-parts.js';
import { parseReceiptText } from '../../src/domain/delivery-receipt.js';

const CREDENTIALS = { systemId: 'gw', password: 'secret1' };

let simulator: SmscSimulator | null = null;
let sessions: smpp.Session[] = [];

afterEach(async () => {
  for (const session of sessions) session.destroy();
  sessions = [];
  await simulator?.stop();
  simulator = null;
});

async function startSimulator(options: Partial<SmscSimulatorOptions> = {}): Promise<SmscSimulator> {
  simulator = new SmscSimulator({ ...CREDENTIALS, ...options });
  await simulator.start();
  return simulator;
}

function request(session: smpp.Session, command: 'bind_transceiver' | 'submit_sm' | 'enquire_link', fields: Record<string, unknown>): Promise<smpp.PDU> {
  return new Promise((resolve) => {
    session[command](fields, resolve);
  });
}

async function connect(port: number): Promise<smpp.Session> {
  const session = await new Promise<smpp.Session>((resolve, reject) => {
    const created = smpp.connect({ host: '127.0.0.1', port }, () => resolve(created));
    created.once('error', reject);
  });
  session.on('error', () => undefined);
  sessions.push(session);
  return session;
}

async function bound(port: number, password = CREDENTIALS.password): Promise<{ session: smpp.Session; status: number }> {
  const session = await connect(port);
  const response = await request(session, 'bind_transceiver', { system_id: CREDENTIALS.systemId, password });
  return { session, status: response.command_status };
}

function submit(session: smpp.Session, fields: Record<string, unknown> = {}): Promise<smpp.PDU> {
  return request(session, 'submit_sm', {
    source_addr: '4455',
    destination_addr: '93791234567',
    data_coding: 0,
    registered_delivery: 0,
    short_message: Buffer.from('hello'),
    ...fields,
  });
}

describe('SMSC simulator', () => {
  it('binds a transceiver with the configured credentials', async () => {
    const smsc = await startSimulator();
    const { status } = await bound(smsc.port);
    expect(status).toBe(0);
    expect(smsc.boundSessions).toBe(1);
  });

  it('refuses a bind with a wrong password with ESME_RINVPASWD', async () => {
    const smsc = await startSimulator();
    const { status } = await bound(smsc.port, 'wrong');
    expect(status).toBe(0x0e);
    expect(smsc.stats.refusedBinds).toBe(1);
  });

  it('refuses a submit before bind with ESME_RINVBNDSTS', async () => {
    const smsc = await startSimulator();
    const session = await connect(smsc.port);
    expect((await submit(session)).command_status).toBe(0x04);
  });

  it('answers submit_sm with message ids in the configured style', async () => {
    const smsc = await startSimulator({ firstMessageNumber: 255, behaviour: { submitIdStyle: { base: 'hex', upperCase: true, padTo: 8 } } });
    const { session } = await bound(smsc.port);
    const first = await submit(session);
    const second = await submit(session);
    expect([first.message_id, second.message_id]).toEqual(['000000FF', '00000100']);
  });

  it('records the parts, UDH and data coding of a concatenated UCS-2 message', async () => {
    const smsc = await startSimulator();
    const { session } = await bound(smsc.port);
    const split = splitMessage('سلام '.repeat(30), 'UCS-2', 77);
    if (!split.ok) throw new Error('split');
    for (const part of split.value.parts) {
      await submit(session, { data_coding: split.value.dataCoding, esm_class: split.value.esmClass, short_message: Buffer.from(part.shortMessage) });
    }
    expect(smsc.submissions.map((s) => [s.dataCoding, s.esmClass, s.concatenation])).toEqual([
      [8, 0x40, { reference: 77, total: 3, sequence: 1 }],
      [8, 0x40, { reference: 77, total: 3, sequence: 2 }],
      [8, 0x40, { reference: 77, total: 3, sequence: 3 }],
    ]);
    expect(smsc.submissions.map((s) => s.text).join('')).toBe('سلام '.repeat(30));
  });

  it('answers after the configured latency', async () => {
    const smsc = await startSimulator({ behaviour: { latencyMs: 120 } });
    const { session } = await bound(smsc.port);
    const started = Date.now();
    await submit(session);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('answers ESME_RTHROTTLED beyond its throughput', async () => {
    const smsc = await startSimulator({ behaviour: { throughputPerSecond: 10 } });
    const { session } = await bound(smsc.port);
    const statuses = await Promise.all(Array.from({ length: 5 }, () => submit(session)));
    expect(statuses.map((pdu) => pdu.command_status)).toEqual([0, 0x58, 0x58, 0x58, 0x58]);
    expect(smsc.stats.throttled).toBe(4);
  });

  it('fails the configured share of submits with the configured status', async () => {
    const smsc = await startSimulator({ random: () => 0.3, behaviour: { errorRate: 0.5, errorStatus: 0x14 } });
    const { session } = await bound(smsc.port);
    expect((await submit(session)).command_status).toBe(0x14);
    smsc.configure({ errorRate: 0.2 });
    expect((await submit(session)).command_status).toBe(0);
  });

  it('sends a delivery receipt with esm_class 0x04, receipt text and TLVs', async () => {
    const smsc = await startSimulator({
      behaviour: { receiptOutcome: () => 'UNDELIV', submitIdStyle: { base: 'hex', upperCase: true, padTo: 6 }, receiptIdStyle: { base: 'decimal', upperCase: false, padTo: 0 } },
      firstMessageNumber: 0xab,
    });
    const { session } = await bound(smsc.port);
    const receipt = new Promise<smpp.PDU>((resolve) =>
      session.on('deliver_sm', (pdu: smpp.PDU) => {
        session.send(pdu.response());
        resolve(pdu);
      }),
    );
    const response = await submit(session, { registered_delivery: 1 });
    const pdu = await receipt;
    expect(response.message_id).toBe('0000AB');
    expect(pdu.esm_class).toBe(0x04);
    expect(pdu.receipted_message_id).toBe('171');
    expect(pdu.message_state).toBe(5);
    expect(parseReceiptText((pdu.short_message as { message: string }).message)).toMatchObject({ id: '171', state: 'UNDELIV' });
  });

  it('answers enquire_link and sends its own', async () => {
    const smsc = await startSimulator();
    const { session } = await bound(smsc.port);
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    expect((await request(session, 'enquire_link', {})).command_status).toBe(0);
    expect(await smsc.enquireLinks()).toBe(1);
  });

  it('drops connections on demand and keeps undelivered receipts for the next bind', async () => {
    const smsc = await startSimulator({ behaviour: { receiptDelayMs: 50 } });
    const first = await bound(smsc.port);
    const closed = new Promise<void>((resolve) => first.session.on('close', () => resolve()));
    await submit(first.session, { registered_delivery: 1 });
    smsc.dropConnections();
    await closed;
    const second = await bound(smsc.port);
    const receipt = await new Promise<smpp.PDU>((resolve) => second.session.on('deliver_sm', resolve));
    expect(receipt.receipted_message_id).toBe('1');
  });
});
