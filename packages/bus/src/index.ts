export { PermanentHandlerError, DEAD_LETTER_HEADERS } from './bus.port.js';
export type {
  Bus,
  PublishOptions,
  PublishAck,
  SubscriptionSpec,
  DeliveredMessage,
  MessageHandler,
  Subscription,
} from './bus.port.js';
export { BusUnavailableError } from './bus.errors.js';
export { InvalidSubjectError, subjectMatches } from './subjects.js';
export type { BusLogger } from './bus-logger.js';
export { connectNatsBus } from './nats-jetstream.bus.js';
export type { NatsBusOptions, NatsStreamSpec } from './nats-jetstream.bus.js';
export { createInProcessBus } from './in-process.bus.js';
export type { InProcessBusOptions } from './in-process.bus.js';
