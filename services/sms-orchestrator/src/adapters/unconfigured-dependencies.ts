import type { Router } from '../application/ports/router.port.js';
import type { SenderLeaseChecker } from '../application/ports/sender-lease-checker.port.js';

/**
 * The lease checker when no numbering-service address is configured: every check is
 * `unavailable` (transient), so messages wait in retry and are dead-lettered if it stays so. It
 * never answers `leased`: an unconfigured dependency must not let messages through.
 */
export const unconfiguredSenderLeaseChecker = (setting: string): SenderLeaseChecker => ({
  check: () => Promise.resolve({ outcome: 'unavailable', reason: `numbering service not configured (${setting} is not set)` }),
});

/** The router when no routing-engine URL is configured: every query is `unavailable`. */
export const unconfiguredRouter = (setting: string): Router => ({
  route: () => Promise.resolve({ outcome: 'unavailable', reason: `routing engine not configured (${setting} is not set)` }),
});
