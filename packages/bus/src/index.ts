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
