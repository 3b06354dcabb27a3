import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { invalid } from './invalid-value.js';
import type { InvalidValue } from './invalid-value.js';

export const MAX_CALLBACK_URL_LENGTH = 2048;

/** Decided by the deployment, not by the client. */
export interface CallbackUrlPolicy {
  /**
   * True outside production (embedded mode, tests): `http://localhost`, `http://127.0.0.1` and
   * `http://[::1]` are accepted, so a developer can receive callbacks without TLS. False in
   * production: https only, and no loopback, private or link-local IP literal as host.
   */
  readonly allowLoopbackHttp: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// IPv4 literals in loopback, private (RFC 1918), link-local, CGNAT and "this network" ranges, and
// IPv6 loopback, unique-local and link-local literals. Host names are resolved by the callback
// dispatcher, which repeats the check on the resolved address (DNS rebinding).
/** True for a loopback, private, link-local, CGNAT or unique-local IP literal (IPv6 in brackets) or `localhost`. */
export function isInternalIpLiteral(hostname: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(hostname);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (hostname.startsWith('[')) {
    const v6 = hostname.slice(1, -1).toLowerCase();
    return v6 === '::1' || v6 === '::' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('::ffff:');
  }
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/**
 * Where delivery status callbacks for the message are posted: an absolute https URL of at most
 * 2,048 characters, without user name or password (they would be stored and shown in clear).
 */
export class CallbackUrl {
  private constructor(readonly href: string) {}

  static parse(raw: string, policy: CallbackUrlPolicy): Result<CallbackUrl, InvalidValue> {
    if (raw.length > MAX_CALLBACK_URL_LENGTH) {
      return err(invalid('ORCH.INVALID_CALLBACK_URL', `must be at most ${MAX_CALLBACK_URL_LENGTH} characters`));
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return err(invalid('ORCH.INVALID_CALLBACK_URL', 'must be an absolute URL'));
    }
    if (url.username !== '' || url.password !== '') {
      return err(invalid('ORCH.INVALID_CALLBACK_URL', 'must not contain a user name or password'));
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol === 'http:') {
      if (policy.allowLoopbackHttp && loopback) return ok(new CallbackUrl(url.href));
      return err(
        invalid(
          'ORCH.INVALID_CALLBACK_URL',
          policy.allowLoopbackHttp ? 'must use https (plain http only for localhost)' : 'must use https',
        ),
      );
    }
    if (url.protocol !== 'https:') return err(invalid('ORCH.INVALID_CALLBACK_URL', 'must use https'));
    if (!policy.allowLoopbackHttp && isInternalIpLiteral(url.hostname)) {
      return err(invalid('ORCH.INVALID_CALLBACK_URL', 'must not point to a loopback, private or link-local address'));
    }
    return ok(new CallbackUrl(url.href));
  }
}
