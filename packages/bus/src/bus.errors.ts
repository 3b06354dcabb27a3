/**
 * Thrown by `publish` and `ping` when the bus cannot be reached, does not answer within the timeout, or has been
 * closed. Callers that can wait (the outbox relay) retry later.
 */
export class BusUnavailableError extends Error {
  override readonly name = 'BusUnavailableError';
}
