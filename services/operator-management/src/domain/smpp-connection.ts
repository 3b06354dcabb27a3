import { issue, type FieldIssue } from './field-issue.js';

export type BindMode = 'transceiver' | 'transmitter' | 'receiver';
export const BIND_MODES: readonly BindMode[] = ['transceiver', 'transmitter', 'receiver'];

/**
 * Bounds of a connection's settings. system_id and system_type lengths are SMPP 3.4 §4.1.1
 * (C-Octet Strings of 16 and 13 octets including the NUL); the bind password is at most 8
 * characters for the same reason.
 */
export const CONNECTION_LIMITS = {
  systemIdMaxLength: 15,
  systemTypeMaxLength: 12,
  bindPasswordMaxLength: 8,
  windowSize: { min: 1, max: 1000 },
  throughputLimit: { min: 1, max: 10_000 },
} as const;

/** What an SMPP connection is, without its password (which lives only in the secret store). */
export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly systemType: string;
  readonly bindMode: BindMode;
  readonly tls: boolean;
  /** Submits in flight without a response before the gateway waits. */
  readonly windowSize: number;
  /** Most submits per second the operator accepts on this bind. */
  readonly throughputLimit: number;
}

/** That a bind password is stored, which secret-store version, and since when. Never the password. */
export interface ConnectionAuthentication {
  readonly version: number;
  readonly changedAt: Date;
}

export interface SmppConnection extends ConnectionSettings {
  readonly id: string;
  readonly authentication: ConnectionAuthentication | null;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const NUMERIC = /^[0-9]+$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const SYSTEM_TYPE = /^[\x20-\x7e]*$/;

function isIpv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => NUMERIC.test(p) && p.length <= 3 && Number(p) <= 255 && !(p.length > 1 && p.startsWith('0')));
}

function isIpv6(host: string): boolean {
  const halves = host.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  const all = groups.flat();
  const last = all.at(-1);
  let count = all.length;
  if (last !== undefined && last.includes('.')) {
    if (!isIpv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

/** A DNS name (RFC 1123), an IPv4 address or an IPv6 address (no brackets). Lower-case input. */
export function isValidHost(host: string): boolean {
  if (host.includes(':')) return isIpv6(host);
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  if (labels.every((l) => NUMERIC.test(l))) return isIpv4(host);
  return labels.every((l) => LABEL.test(l));
}

const isIntegerIn = (value: number, min: number, max: number): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

/** Trims text fields and lower-cases the host, so equal settings compare equal. */
export const normalizeConnectionSettings = (s: ConnectionSettings): ConnectionSettings => ({
  host: s.host.trim().toLowerCase(),
  port: s.port,
  systemId: s.systemId.trim(),
  systemType: s.systemType.trim(),
  bindMode: s.bindMode,
  tls: s.tls,
  windowSize: s.windowSize,
  throughputLimit: s.throughputLimit,
});

/** Issues with normalised settings; fields are relative (`port`), callers nest them. */
export function connectionSettingsIssues(s: ConnectionSettings): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { windowSize, throughputLimit } = CONNECTION_LIMITS;
  if (!isValidHost(s.host)) issues.push(issue('host', 'must be a DNS name, an IPv4 address or an IPv6 address'));
  if (!isIntegerIn(s.port, 1, 65_535)) issues.push(issue('port', 'must be an integer from 1 to 65535'));
  if (s.systemId.length === 0 || s.systemId.length > CONNECTION_LIMITS.systemIdMaxLength || !PRINTABLE_ASCII.test(s.systemId)) {
    issues.push(issue('systemId', `must be 1 to ${CONNECTION_LIMITS.systemIdMaxLength} printable ASCII characters without spaces`));
  }
  if (s.systemType.length > CONNECTION_LIMITS.systemTypeMaxLength || !SYSTEM_TYPE.test(s.systemType)) {
    issues.push(issue('systemType', `must be at most ${CONNECTION_LIMITS.systemTypeMaxLength} printable ASCII characters`));
  }
  if (!BIND_MODES.includes(s.bindMode)) issues.push(issue('bindMode', `must be one of ${BIND_MODES.join(', ')}`));
  if (typeof s.tls !== 'boolean') issues.push(issue('tls', 'must be true or false'));
  if (!isIntegerIn(s.windowSize, windowSize.min, windowSize.max)) {
    issues.push(issue('windowSize', `must be an integer from ${windowSize.min} to ${windowSize.max}`));
  }
  if (!isIntegerIn(s.throughputLimit, throughputLimit.min, throughputLimit.max)) {
    issues.push(issue('throughputLimit', `must be an integer from ${throughputLimit.min} to ${throughputLimit.max} messages per second`));
  }
  return issues;
}

/**
 * Issues with a bind password. The message never repeats the value. SMPP 3.4 carries it as a
 * C-Octet String of at most 9 octets, so 1 to 8 printable ASCII characters.
 */
export function bindPasswordIssues(value: string, field: string): FieldIssue[] {
  const max = CONNECTION_LIMITS.bindPasswordMaxLength;
  if (value.length === 0 || value.length > max || !PRINTABLE_ASCII.test(value)) {
    return [issue(field, `must be 1 to ${max} printable ASCII characters without spaces (SMPP 3.4)`)];
  }
  return [];
}

/** Identity of a bind within one operator: two connections may not share host, port and system_id. */
export const connectionKey = (s: Pick<ConnectionSettings, 'host' | 'port' | 'systemId'>): string =>
  `${s.host}:${s.port}/${s.systemId}`;

/** Names of the settings that differ, in a stable order. */
export function changedSettings(before: ConnectionSettings, after: ConnectionSettings): (keyof ConnectionSettings)[] {
  const keys: (keyof ConnectionSettings)[] = ['host', 'port', 'systemId', 'systemType', 'bindMode', 'tls', 'windowSize', 'throughputLimit'];
  return keys.filter((k) => before[k] !== after[k]);
}
