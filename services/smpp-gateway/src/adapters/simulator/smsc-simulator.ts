import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { formatReceiptText } from '../../domain/delivery-receipt.js';
import { readConcatenationHeader } from '../../domain/message-parts.js';
import type { ConcatenationHeader } from '../../domain/message-parts.js';
import { messageStateOf } from '../../domain/receipt-state.js';
import type { ReceiptState } from '../../domain/receipt-state.js';
import { SMPP_STATUS } from '../../domain/submit-retry-policy.js';
import { TokenBucket } from '../../domain/token-bucket.js';
import { numberField, shortMessageOf, stringField, textOf, udhOf } from '../smpp/smpp-values.js';

/** How the simulator writes a message id, to exercise the gateway's normalisation. */
export interface MessageIdStyle {
  readonly base: 'hex' | 'decimal';
  readonly upperCase: boolean;
  /** Left-pads with zeros to this length (0: no padding). */
  readonly padTo: number;
}

export interface SimulatorBehaviour {
  /** Delay before each submit_sm_resp. */
  readonly latencyMs: number;
  /** Accepted submit_sm per second across all sessions; beyond it the answer is ESME_RTHROTTLED. Null: unlimited. */
  readonly throughputPerSecond: number | null;
  /** Share (0–1) of submit_sm answered with `errorStatus`. */
  readonly errorRate: number;
  readonly errorStatus: number;
  /** Id style in submit_sm_resp. */
  readonly submitIdStyle: MessageIdStyle;
  /** Id style in the receipt (text `id:` and `receipted_message_id`). */
  readonly receiptIdStyle: MessageIdStyle;
  /** The receipt's state for a submission; null sends no receipt. */
  readonly receiptOutcome: (submission: ReceivedSubmission) => ReceiptState | null;
  readonly receiptDelayMs: number;
  /** Put `receipted_message_id` and `message_state` TLVs in receipts (the text is always there). */
  readonly receiptTlvs: boolean;
  /** Answer the client's enquire_link (false: stay silent, as a hung SMSC would). */
  readonly answerEnquireLinks: boolean;
}

export interface SmscSimulatorOptions {
  readonly systemId: string;
  readonly password: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly behaviour?: Partial<SimulatorBehaviour>;
  /** Randomness for the error rate; default Math.random. */
  readonly random?: () => number;
  /** First message id number; default 1. */
  readonly firstMessageNumber?: number;
}

/** One submit_sm as the simulator received it. */
export interface ReceivedSubmission {
  readonly systemId: string;
  readonly sourceAddr: string;
  readonly destinationAddr: string;
  readonly dataCoding: number;
  readonly esmClass: number;
  readonly registeredDelivery: number;
  /** UDH with its length octet, or null. */
  readonly udh: Uint8Array | null;
  readonly concatenation: ConcatenationHeader | null;
  /** The text of this part as the library decoded it by data_coding. */
  readonly text: string;
  /** The answer's command_status. */
  readonly commandStatus: number;
  /** The id given in submit_sm_resp (as written), null when refused. */
  readonly messageId: string | null;
  readonly receivedAt: number;
}

export interface SimulatorStats {
  readonly binds: number;
  readonly refusedBinds: number;
  readonly enquireLinksAnswered: number;
  readonly throttled: number;
  readonly receiptsSent: number;
}

const DEFAULT_BEHAVIOUR: SimulatorBehaviour = {
  latencyMs: 0,
  throughputPerSecond: null,
  errorRate: 0,
  errorStatus: SMPP_STATUS.ESME_RSYSERR,
  submitIdStyle: { base: 'hex', upperCase: false, padTo: 0 },
  receiptIdStyle: { base: 'hex', upperCase: false, padTo: 0 },
  receiptOutcome: () => 'DELIVRD',
  receiptDelayMs: 0,
  receiptTlvs: true,
  answerEnquireLinks: true,
};

interface PendingReceipt {
  readonly pdu: Record<string, unknown>;
}

export function formatMessageId(number: number, style: MessageIdStyle): string {
  const digits = style.base === 'hex' ? number.toString(16) : number.toString(10);
  const cased = style.upperCase ? digits.toUpperCase() : digits;
  return cased.padStart(style.padTo, '0');
}

/**
 * An SMSC for tests and the embedded platform: a real SMPP 3.4 server (the `smpp` package) that
 * takes bind_transceiver with one set of credentials, answers submit_sm after a latency, throttles
 * beyond a throughput, fails a share of submits, and sends delivery receipts (deliver_sm,
 * esm_class 0x04, receipt text and TLVs). Receipts for a session that is gone wait for the next
 * bind of the same system id, as SMSCs do. Everything received is recorded for assertions.
 */
export class SmscSimulator {
  private readonly server: smpp.Server;
  private behaviour: SimulatorBehaviour;
  private readonly random: () => number;
  private nextNumber: number;
  private bucket: TokenBucket | null = null;
  private readonly bound = new Set<smpp.Session>();
  private readonly pendingReceipts: PendingReceipt[] = [];
  /** Receipts sent on a session and not yet answered; stored again if the session closes first. */
  private readonly unanswered = new Map<smpp.Session, Set<PendingReceipt>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
  private readonly statWaiters: Array<{ readonly ready: () => boolean; readonly resolve: () => void }> = [];
  private readonly mutableStats = { binds: 0, refusedBinds: 0, enquireLinksAnswered: 0, throttled: 0, receiptsSent: 0 };
  private stopped = false;
  readonly submissions: ReceivedSubmission[] = [];

  constructor(private readonly options: SmscSimulatorOptions) {
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
    this.random = options.random ?? Math.random;
    this.nextNumber = options.firstMessageNumber ?? 1;
    this.resetBucket();
    this.server = smpp.createServer({}, (session) => this.onSession(session));
  }

  /** Starts listening; resolves with the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get stats(): SimulatorStats {
    return { ...this.mutableStats };
  }

  /** Accepted submissions only. */
  get accepted(): readonly ReceivedSubmission[] {
    return this.submissions.filter((submission) => submission.commandStatus === SMPP_STATUS.ESME_ROK);
  }

  get boundSessions(): number {
    return this.bound.size;
  }

  /** Changes behaviour from now on (e.g. start throttling mid-test). */
  configure(behaviour: Partial<SimulatorBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...behaviour };
    this.resetBucket();
  }

  /** Cuts every connection at once, without unbind (a network failure). */
  dropConnections(): void {
    for (const session of this.server.sessions.slice()) session.destroy();
    this.bound.clear();
  }

  /** Sends enquire_link on every bound session; resolves with how many were answered within `timeoutMs`. */
  async enquireLinks(timeoutMs = 1000): Promise<number> {
    const answers = [...this.bound].map(
      (session) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          const sent = session.enquire_link({}, (response) => {
            clearTimeout(timer);
            resolve(response.command_status === SMPP_STATUS.ESME_ROK);
          });
          if (!sent) {
            clearTimeout(timer);
            resolve(false);
          }
        }),
    );
    return (await Promise.all(answers)).filter(Boolean).length;
  }

  /** Resolves once `count` binds were accepted since start. */
  waitForBinds(count: number): Promise<void> {
    return this.waitForStats(() => this.mutableStats.binds >= count);
  }

  /** Resolves once `count` binds were refused since start. */
  waitForRefusedBinds(count: number): Promise<void> {
    return this.waitForStats(() => this.mutableStats.refusedBinds >= count);
  }

  private waitForStats(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.statWaiters.push({ ready, resolve }));
  }

  private notifyStatWaiters(): void {
    for (const waiter of this.statWaiters.splice(0)) {
      if (waiter.ready()) waiter.resolve();
      else this.statWaiters.push(waiter);
    }
  }

  /** Resolves once `count` submissions were accepted. */
  waitForAccepted(count: number): Promise<void> {
    if (this.accepted.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private resetBucket(): void {
    const rate = this.behaviour.throughputPerSecond;
    this.bucket = rate === null ? null : new TokenBucket(rate, Math.max(1, Math.floor(rate / 10)), Date.now());
  }

  private later(delayMs: number, action: () => void): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) action();
    }, delayMs);
    this.timers.add(timer);
  }

  private onSession(session: smpp.Session): void {
    let systemId: string | null = null;
    session.on('error', () => undefined);
    session.on('close', () => {
      this.bound.delete(session);
      const lost = this.unanswered.get(session);
      this.unanswered.delete(session);
      if (lost !== undefined && lost.size > 0) {
        this.pendingReceipts.push(...lost);
        this.flushReceipts();
      }
    });
    session.on('pdu', (pdu: smpp.PDU) => {
      if (pdu.isResponse()) return;
      switch (pdu.command) {
        case 'bind_transceiver': {
          const id = stringField(pdu, 'system_id') ?? '';
          const password = stringField(pdu, 'password') ?? '';
          if (id !== this.options.systemId || password !== this.options.password) {
            this.mutableStats.refusedBinds += 1;
            this.notifyStatWaiters();
            session.send(pdu.response({ command_status: SMPP_STATUS.ESME_RINVPASWD }), () => session.close());
            return;
          }
          systemId = id;
          this.mutableStats.binds += 1;
          this.bound.add(session);
          this.notifyStatWaiters();
          session.send(pdu.response({ system_id: 'SIMSMSC' }));
          this.flushReceipts();
          return;
        }
        case 'enquire_link':
          if (!this.behaviour.answerEnquireLinks) return;
          this.mutableStats.enquireLinksAnswered += 1;
          session.send(pdu.response());
          return;
        case 'unbind':
          this.bound.delete(session);
          session.send(pdu.response(), () => session.close());
          return;
        case 'submit_sm':
          if (systemId === null) {
            session.send(pdu.response({ command_status: 0x04 /* ESME_RINVBNDSTS */ }));
            return;
          }
          this.onSubmit(session, systemId, pdu);
          return;
        case 'deliver_sm_resp':
        case 'enquire_link_resp':
          return;
        default:
          session.send(pdu.response({ command_status: 0x03 /* ESME_RINVCMDID */ }));
      }
    });
  }

  private onSubmit(session: smpp.Session, systemId: string, pdu: smpp.PDU): void {
    const receivedAt = Date.now();
    const behaviour = this.behaviour;
    let commandStatus: number = SMPP_STATUS.ESME_ROK;
    if (this.bucket !== null && this.bucket.take(receivedAt) > 0) {
      commandStatus = SMPP_STATUS.ESME_RTHROTTLED;
      this.mutableStats.throttled += 1;
    } else if (behaviour.errorRate > 0 && this.random() < behaviour.errorRate) {
      commandStatus = behaviour.errorStatus;
    }
    const number = commandStatus === SMPP_STATUS.ESME_ROK ? this.nextNumber++ : null;
    const short = shortMessageOf(pdu);
    const udh = udhOf(short);
    const submission: ReceivedSubmission = {
      systemId,
      sourceAddr: stringField(pdu, 'source_addr') ?? '',
      destinationAddr: stringField(pdu, 'destination_addr') ?? '',
      dataCoding: numberField(pdu, 'data_coding') ?? 0,
      esmClass: numberField(pdu, 'esm_class') ?? 0,
      registeredDelivery: numberField(pdu, 'registered_delivery') ?? 0,
      udh,
      concatenation: udh === null ? null : readConcatenationHeader(udh),
      text: textOf(short),
      commandStatus,
      messageId: number === null ? null : formatMessageId(number, behaviour.submitIdStyle),
      receivedAt,
    };
    this.submissions.push(submission);
    this.later(behaviour.latencyMs, () => {
      const response = number === null ? pdu.response({ command_status: commandStatus }) : pdu.response({ message_id: submission.messageId });
      session.send(response);
      if (number !== null) {
        this.notifyWaiters();
        if ((submission.registeredDelivery & 0x03) !== 0) this.scheduleReceipt(submission, number);
      }
    });
  }

  private notifyWaiters(): void {
    const accepted = this.accepted.length;
    for (const waiter of this.waiters.splice(0)) {
      if (accepted >= waiter.count) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  private scheduleReceipt(submission: ReceivedSubmission, number: number): void {
    const state = this.behaviour.receiptOutcome(submission);
    if (state === null) return;
    const receiptId = formatMessageId(number, this.behaviour.receiptIdStyle);
    const doneDate = new Date();
    const pdu: Record<string, unknown> = {
      source_addr: submission.destinationAddr,
      destination_addr: submission.sourceAddr,
      esm_class: 0x04,
      data_coding: 0x00,
      short_message: formatReceiptText({
        id: receiptId,
        state,
        err: state === 'DELIVRD' ? '000' : '001',
        submitDate: new Date(submission.receivedAt),
        doneDate,
        text: '',
      }),
    };
    if (this.behaviour.receiptTlvs) {
      pdu.receipted_message_id = receiptId;
      pdu.message_state = messageStateOf(state);
    }
    this.later(this.behaviour.receiptDelayMs, () => {
      this.pendingReceipts.push({ pdu });
      this.flushReceipts();
    });
  }

  private flushReceipts(): void {
    const session = [...this.bound][0];
    if (session === undefined) return;
    const unanswered = this.unanswered.get(session) ?? new Set<PendingReceipt>();
    this.unanswered.set(session, unanswered);
    for (const receipt of this.pendingReceipts.splice(0)) {
      unanswered.add(receipt);
      const sent = session.send(new smpp.PDU('deliver_sm', { ...receipt.pdu }), (response) => {
        unanswered.delete(receipt);
        if (response.command_status !== SMPP_STATUS.ESME_ROK) this.pendingReceipts.push(receipt);
      });
      if (sent) {
        this.mutableStats.receiptsSent += 1;
      } else {
        unanswered.delete(receipt);
        this.pendingReceipts.push(receipt);
      }
    }
  }
}
