export { outboxTablesSql, outboxTablesDownSql, outboxChannel } from './outbox-tables.sql.js';
export { appendToOutbox, OutboxWriter } from './outbox-writer.js';
export type { AppendOptions } from './outbox-writer.js';
export { OutboxRelay } from './outbox-relay.js';
export type { OutboxRelayOptions, OutboxLag } from './outbox-relay.js';
export { handleOnce, createInboxConsumer } from './inbox.js';
export type { InboxConsumerOptions } from './inbox.js';
export { encodeEnvelope, decodeEnvelope, validateEnvelope } from './envelope-codec.js';
export { pruneOutbox, pruneInbox } from './prune.js';
