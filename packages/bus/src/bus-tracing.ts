import { extractTraceContext, injectTraceContext, ROOT_CONTEXT, SpanKind, withSpan } from '@sms/tracing';
import type { DeliveredMessage } from './bus.port.js';

/**
 * Runs a publish inside a PRODUCER span and hands `send` the headers with that span's W3C trace context, so the
 * consumer's span becomes its child.
 */
export function tracedPublish<T>(
  system: string,
  subject: string,
  msgId: string,
  headers: Readonly<Record<string, string>> | undefined,
  send: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  return withSpan(`publish ${subject}`, () => send(injectTraceContext({ ...headers })), {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': system,
      'messaging.operation.type': 'send',
      'messaging.destination.name': subject,
      'messaging.message.id': msgId,
    },
  });
}

/** Runs a handler inside a CONSUMER span whose parent is the publisher's span (from the message headers). */
export function tracedHandle(
  system: string,
  durable: string,
  message: DeliveredMessage,
  handle: () => Promise<void>,
): Promise<void> {
  return withSpan(`process ${message.subject}`, handle, {
    kind: SpanKind.CONSUMER,
    parent: extractTraceContext(message.headers, ROOT_CONTEXT),
    attributes: {
      'messaging.system': system,
      'messaging.operation.type': 'process',
      'messaging.destination.name': message.subject,
      'messaging.message.id': message.msgId,
      'messaging.consumer.group.name': durable,
      'messaging.delivery_attempt': message.deliveryAttempt,
    },
  });
}
