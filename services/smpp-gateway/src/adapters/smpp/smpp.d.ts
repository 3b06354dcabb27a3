// Types for the parts of the `smpp` package (0.5.1, plain JavaScript) this service uses.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** A PDU; its mandatory parameters and TLVs are plain properties named as in the SMPP 3.4 specification. */
    class PDU {
      constructor(command: string, options?: Record<string, unknown>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
    }

    type PduCallback = (pdu: PDU) => void;

    class Session extends EventEmitter {
      socket: Socket;
      send(pdu: PDU, responseCallback?: PduCallback, sendCallback?: PduCallback): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      bind_transceiver(options: Record<string, unknown>, responseCallback?: PduCallback): boolean;
      submit_sm(options: Record<string, unknown>, responseCallback?: PduCallback): boolean;
      deliver_sm(options: Record<string, unknown>, responseCallback?: PduCallback): boolean;
      enquire_link(options?: Record<string, unknown>, responseCallback?: PduCallback): boolean;
      unbind(options?: Record<string, unknown>, responseCallback?: PduCallback): boolean;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }

    interface ConnectOptions {
      host: string;
      port: number;
      auto_enquire_link_period?: number;
    }

    function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
    function connect(options: ConnectOptions, listener?: () => void): Session;
  }

  export = smpp;
}
