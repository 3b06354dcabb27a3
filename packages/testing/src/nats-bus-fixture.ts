import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectNatsBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { testServices, uniqueName } from './run-id.js';

/** A NATS JetStream bus for one test file: its own stream, subjects and dead-letter stream, deleted by `cleanup`. */
export interface NatsBusFixture {
  readonly bus: Bus;
  /** Every subject under `<subjectPrefix>.` is captured by the fixture's stream. */
  readonly subjectPrefix: string;
  /** A subscription's default dead-letter subject is `<deadLetterPrefix>.<durable>`. */
  readonly deadLetterPrefix: string;
  cleanup(): Promise<void>;
}

/**
 * `subjectNamespace`: the bus adds it on the wire to every subject (the fixture's subjects stay as seen by callers).
 */
export async function natsBusFixture(label: string, options: { subjectNamespace?: string } = {}): Promise<NatsBusFixture> {
  const subjectPrefix = uniqueName(label);
  const deadLetterPrefix = `${subjectPrefix}_dlq`;
  const stream = uniqueName(`${label}_stream`);
  const deadLetterStream = uniqueName(`${label}_dlq`);
  const bus = await connectNatsBus({
    servers: testServices.natsUrl,
    connectionName: label,
    streams: [{ name: stream, subjects: [`${subjectPrefix}.>`] }],
    deadLetter: { stream: deadLetterStream, subjectPrefix: deadLetterPrefix },
    ...(options.subjectNamespace === undefined ? {} : { subjectNamespace: options.subjectNamespace }),
  });
  return {
    bus,
    subjectPrefix,
    deadLetterPrefix,
    async cleanup() {
      await bus.close();
      await deleteStreams([stream, deadLetterStream]);
    },
  };
}

/** Deletes JetStream streams by name, ignoring ones already gone. */
export async function deleteStreams(names: readonly string[]): Promise<void> {
  const nc = await connect({ servers: testServices.natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
