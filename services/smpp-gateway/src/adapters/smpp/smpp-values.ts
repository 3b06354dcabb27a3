import type smpp from 'smpp';

/** The short message of a received PDU, as the `smpp` package decodes it: UDH elements split off, text decoded by data_coding. */
export interface DecodedShortMessage {
  readonly udh?: Buffer[];
  readonly message: string | Buffer;
}

/** Reads `short_message` of a received PDU whatever shape the library left it in. */
export function shortMessageOf(pdu: smpp.PDU): DecodedShortMessage {
  const value = pdu.short_message;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return { message: value };
  if (value !== null && typeof value === 'object' && 'message' in value) return value as DecodedShortMessage;
  return { message: '' };
}

export function textOf(message: DecodedShortMessage): string {
  return typeof message.message === 'string' ? message.message : message.message.toString('latin1');
}

/** The UDH with its length octet in front, as it was on the wire; null when there was none. */
export function udhOf(message: DecodedShortMessage): Uint8Array | null {
  if (message.udh === undefined || message.udh.length === 0) return null;
  const elements = Buffer.concat(message.udh);
  return Uint8Array.from([elements.length, ...elements]);
}

export function numberField(pdu: smpp.PDU, field: string): number | undefined {
  const value = pdu[field];
  return typeof value === 'number' ? value : undefined;
}

export function stringField(pdu: smpp.PDU, field: string): string | undefined {
  const value = pdu[field];
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1').replace(/\0+$/, '');
  return undefined;
}

export function bufferField(pdu: smpp.PDU, field: string): Uint8Array | undefined {
  const value = pdu[field];
  return Buffer.isBuffer(value) ? new Uint8Array(value) : undefined;
}
