import smpp from 'smpp';
import type { Logger } from '@sms/logging';
import type { Clock } from '@sms/kernel';
import type { CredentialsProvider } from '../../application/ports/credentials-provider.port.js';
import type { SubmitPartRequest, SubmitPartResponse } from '../../application/ports/smsc-submitter.port.js';
import type { ReceiptPdu } from '../../domain/delivery-receipt.js';
import type { SmscIdForms } from '../../domain/smsc-message-id.js';
import { SMPP_STATUS, backoffDelay } from '../../domain/submit-retry-policy.js';
import { SubmitWindow } from '../../domain/submit-window.js';
import { TokenBucket } from '../../domain/token-bucket.js';
import { bufferField, numberField, shortMessageOf, stringField, textOf } from './smpp-values.js';

/** One operator connection (bind) as configured. */
export interface SmppConnectionSettings {
  readonly connectionId: string;
  readonly operatorId: string;
  readonly host: string;
  readonly port: number;
  /** submit_sm awaiting their response at most. */
  readonly windowSize: number;
  /** The operator's contracted throughput for this bind (submit_sm per second). */
  readonly throughputPerSecond: number;
  /** Our own enquire_link period; the bind is dropped when one goes unanswered. */
  readonly enquireLinkIntervalMs: number;
  /** How long a request waits for its response before the bind is considered dead. */
  readonly responseTimeoutMs: number;
  /** How long a submit waits for a bind to come up before answering `unavailable`. */
  readonly bindWaitMs: number;
  readonly rebindBackoff: { readonly initialDelayMs: number; readonly maxDelayMs: number; readonly multiplier: number };
  /** How the SMSC writes ids in receipts versus submit responses (domain/smsc-message-id.ts). */
  readonly idForms: SmscIdForms;
}

export type BindState = 'connecting' | 'bound' | 'stopped';

export interface SmppConnectionHooks {
  /** Handles a deliver_sm; resolves with the command_status of deliver_sm_resp (0 to accept it). */
  onDeliverSm(connectionId: string, pdu: ReceiptPdu): Promise<number>;
  onStateChange?(connectionId: string, state: BindState, reason: string): void;
  onSubmitResponse?(connectionId: string, commandStatus: number, latencyMs: number): void;
}

interface Pending {
  readonly resolve: (response: SubmitPartResponse) => void;
  readonly timer: NodeJS.Timeout;
  readonly sentAt: number;
}

/** SMPP TON/NPI: international MSISDNs and operator short codes. */
const ADDRESS = { msisdn: { ton: 0x01, npi: 0x01 }, short_code: { ton: 0x03, npi: 0x00 } } as const;

/**
 * One bind_transceiver to an SMSC, kept up until `stop`: re-binds with backoff after a drop or a
 * refused bind, sends enquire_link every `enquireLinkIntervalMs` and answers the SMSC's, keeps at
 * most `windowSize` submits outstanding, and paces submits to `throughputPerSecond` (token bucket,
 * burst of a tenth of a second). Delivery receipts go to `hooks.onDeliverSm`; deliver_sm_resp is
 * sent only after it resolved, so a receipt the gateway could not store is sent again by the SMSC.
 */
export class SmppConnection {
  private session: smpp.Session | null = null;
  private stateValue: BindState = 'connecting';
  private readonly window: SubmitWindow;
  private readonly bucket: TokenBucket;
  private readonly pending = new Map<number, Pending>();
  private readonly roomWaiters: Array<() => void> = [];
  private readonly boundWaiters: Array<() => void> = [];
  private pacing: Promise<void> = Promise.resolve();
  private rebindAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly settings: SmppConnectionSettings,
    private readonly credentials: CredentialsProvider,
    private readonly hooks: SmppConnectionHooks,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    this.window = new SubmitWindow(settings.windowSize);
    this.bucket = new TokenBucket(settings.throughputPerSecond, Math.max(1, Math.floor(settings.throughputPerSecond / 10)), this.nowMs());
  }

  get state(): BindState {
    return this.stateValue;
  }

  get inFlight(): number {
    return this.window.inFlight;
  }

  start(): void {
    void this.connect();
  }

  /** Resolves once bound, or false after `timeoutMs`. */
  waitUntilBound(timeoutMs: number): Promise<boolean> {
    if (this.stateValue === 'bound') return Promise.resolve(true);
    if (this.stateValue === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve(this.stateValue === 'bound');
      };
      const timer = setTimeout(() => {
        const index = this.boundWaiters.indexOf(waiter);
        if (index >= 0) this.boundWaiters.splice(index, 1);
        resolve(false);
      }, timeoutMs);
      this.boundWaiters.push(waiter);
    });
  }

  async submit(request: SubmitPartRequest): Promise<SubmitPartResponse> {
    const deadline = this.nowMs() + this.settings.bindWaitMs;
    for (;;) {
      const left = deadline - this.nowMs();
      if (this.stateValue === 'stopped') return { kind: 'unavailable', reason: 'connection stopped' };
      if (left <= 0 || !(await this.waitUntilBound(left))) return { kind: 'unavailable', reason: `no bind on ${this.settings.connectionId} within ${this.settings.bindWaitMs} ms` };
      await this.waitForRoom();
      await this.waitForToken();
      const session = this.session;
      // The bind may have dropped while waiting; nothing was sent yet, so waiting for the next one is safe.
      if (this.stateValue !== 'bound' || session === null || !this.window.hasRoom()) {
        this.wakeRoomWaiter();
        continue;
      }
      const source = ADDRESS[request.sourceType];
      const pdu = new smpp.PDU('submit_sm', {
        source_addr_ton: source.ton,
        source_addr_npi: source.npi,
        source_addr: request.sourceAddr,
        dest_addr_ton: 0x01,
        dest_addr_npi: 0x01,
        destination_addr: request.destinationAddr,
        esm_class: request.esmClass,
        data_coding: request.dataCoding,
        validity_period: request.validUntil,
        registered_delivery: request.receipt ? 0x01 : 0x00,
        short_message: Buffer.from(request.shortMessage),
      });
      return new Promise<SubmitPartResponse>((resolve) => {
        const sent = session.send(pdu, (response) => this.onResponse(response));
        if (!sent) {
          resolve({ kind: 'unavailable', reason: 'socket not writable' });
          return;
        }
        const sequence = pdu.sequence_number;
        this.window.open(sequence);
        const timer = setTimeout(() => {
          this.logger.warn({ connectionId: this.settings.connectionId, sequence }, 'submit_sm response timed out; dropping the bind');
          session.destroy();
        }, this.settings.responseTimeoutMs);
        this.pending.set(sequence, { resolve, timer, sentAt: this.nowMs() });
      });
    }
  }

  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    this.stateValue = 'stopped';
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.stopEnquireLinks();
    const session = this.session;
    this.session = null;
    if (session !== null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        const sent = session.unbind({}, () => {
          clearTimeout(timer);
          resolve();
        });
        if (!sent) {
          clearTimeout(timer);
          resolve();
        }
      });
      session.destroy();
    }
    this.failPending('connection stopped');
    for (const waiter of this.boundWaiters.splice(0)) waiter();
    for (const waiter of this.roomWaiters.splice(0)) waiter();
  }

  private isStopped(): boolean {
    return this.stateValue === 'stopped';
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private setState(state: BindState, reason: string): void {
    if (this.stateValue === 'stopped') return;
    this.stateValue = state;
    this.hooks.onStateChange?.(this.settings.connectionId, state, reason);
    if (state === 'bound') for (const waiter of this.boundWaiters.splice(0)) waiter();
  }

  private async waitForRoom(): Promise<void> {
    while (!this.window.hasRoom() && this.stateValue === 'bound') {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  private wakeRoomWaiter(): void {
    this.roomWaiters.shift()?.();
  }

  /** Submits take tokens one after another (FIFO), each waiting as long as the bucket says. */
  private waitForToken(): Promise<void> {
    const turn = this.pacing.then(async () => {
      for (let wait = this.bucket.take(this.nowMs()); wait > 0; wait = this.bucket.take(this.nowMs())) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    });
    this.pacing = turn;
    return turn;
  }

  private onResponse(response: smpp.PDU): void {
    const pending = this.pending.get(response.sequence_number);
    if (pending === undefined) return;
    this.pending.delete(response.sequence_number);
    clearTimeout(pending.timer);
    this.window.close(response.sequence_number);
    this.wakeRoomWaiter();
    this.hooks.onSubmitResponse?.(this.settings.connectionId, response.command_status, this.nowMs() - pending.sentAt);
    pending.resolve({
      kind: 'answered',
      commandStatus: response.command_status,
      smscMessageId: response.command_status === SMPP_STATUS.ESME_ROK ? (stringField(response, 'message_id') ?? null) : null,
    });
  }

  private failPending(reason: string): void {
    for (const [sequence, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ kind: 'unavailable', reason });
      this.pending.delete(sequence);
    }
    this.window.reset();
    for (const waiter of this.roomWaiters.splice(0)) waiter();
  }

  private scheduleReconnect(reason: string): void {
    if (this.stateValue === 'stopped' || this.reconnectTimer !== null) return;
    this.rebindAttempt += 1;
    const delay = backoffDelay(this.rebindAttempt, this.settings.rebindBackoff);
    this.logger.warn({ connectionId: this.settings.connectionId, attempt: this.rebindAttempt, delayMs: delay, reason }, 'SMPP bind lost; re-binding');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    this.setState('connecting', 'connecting');
    let credentials;
    try {
      credentials = await this.credentials.credentialsFor(this.settings.connectionId);
    } catch (error) {
      this.scheduleReconnect(`credentials unavailable: ${(error as Error).message}`);
      return;
    }
    if (credentials === null) {
      this.scheduleReconnect('no credentials for this connection');
      return;
    }
    if (this.isStopped()) return;
    const session = smpp.connect({ host: this.settings.host, port: this.settings.port });
    this.session = session;
    let closed = false;
    const lost = (reason: string): void => {
      if (closed) return;
      closed = true;
      this.stopEnquireLinks();
      if (this.session === session) this.session = null;
      session.destroy();
      this.failPending(reason);
      this.setState('connecting', reason);
      this.scheduleReconnect(reason);
    };
    session.on('error', (error: Error) => lost(`socket error: ${error.message}`));
    session.on('close', () => lost('connection closed'));
    session.on('connect', () => {
      session.bind_transceiver(
        { system_id: credentials.systemId, password: credentials.password, system_type: credentials.systemType, interface_version: 0x34 },
        (response) => {
          if (response.command_status !== SMPP_STATUS.ESME_ROK) {
            lost(`bind refused with status 0x${response.command_status.toString(16)}`);
            return;
          }
          this.rebindAttempt = 0;
          this.setState('bound', 'bound');
          this.logger.info({ connectionId: this.settings.connectionId, operatorId: this.settings.operatorId }, 'SMPP bound (transceiver)');
          this.startEnquireLinks(session, lost);
        },
      );
    });
    session.on('pdu', (pdu: smpp.PDU) => this.onRequest(session, pdu, lost));
  }

  private onRequest(session: smpp.Session, pdu: smpp.PDU, lost: (reason: string) => void): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case 'enquire_link':
        session.send(pdu.response());
        return;
      case 'unbind':
        session.send(pdu.response(), () => lost('unbound by the SMSC'));
        return;
      case 'deliver_sm': {
        const short = shortMessageOf(pdu);
        const receipt: ReceiptPdu = {
          esmClass: numberField(pdu, 'esm_class') ?? 0,
          text: textOf(short),
          receiptedMessageId: stringField(pdu, 'receipted_message_id'),
          messageState: numberField(pdu, 'message_state'),
          networkErrorCode: bufferField(pdu, 'network_error_code'),
        };
        this.hooks.onDeliverSm(this.settings.connectionId, receipt).then(
          (status) => session.send(status === 0 ? pdu.response() : pdu.response({ command_status: status })),
          (error: unknown) => {
            this.logger.error({ connectionId: this.settings.connectionId, err: error }, 'delivery receipt not stored; asking the SMSC to send it again');
            session.send(pdu.response({ command_status: 0x64 /* ESME_RX_T_APPN: temporary */ }));
          },
        );
        return;
      }
      default:
        session.send(pdu.response({ command_status: 0x03 /* ESME_RINVCMDID */ }));
    }
  }

  private startEnquireLinks(session: smpp.Session, lost: (reason: string) => void): void {
    this.stopEnquireLinks();
    this.enquireTimer = setInterval(() => {
      const timer = setTimeout(() => lost('enquire_link unanswered'), this.settings.responseTimeoutMs);
      const sent = session.enquire_link({}, () => clearTimeout(timer));
      if (!sent) clearTimeout(timer);
    }, this.settings.enquireLinkIntervalMs);
  }

  private stopEnquireLinks(): void {
    if (this.enquireTimer !== null) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
  }
}
