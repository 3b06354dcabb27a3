import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectNatsBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { testServices, uniqueName } from '@sms/testing';

/**
 * A NATS JetStream bus for one test file: its own streams, and a subject prefix no other run uses (the
 * numbering events are published as `<prefix><event type>`). `cleanup` deletes the streams.
 */
export interface NatsFixture {
  readonly bus: Bus;
  /** Ends with a dot: `numbering_x_r123_ab12.`. */
  readonly subjectPrefix: string;
  cleanup(): Promise<void>;
}

export async function createNatsFixture(label: string): Promise<NatsFixture> {
  const subjectPrefix = `${uniqueName(label)}.`;
  const stream = uniqueName(`${label}_stream`);
  const deadLetterStream = uniqueName(`${label}_dlq`);
  const bus = await connectNatsBus({
    servers: testServices.natsUrl,
    connectionName: label,
    streams: [{ name: stream, subjects: [`${subjectPrefix}>`] }],
    deadLetter: { stream: deadLetterStream, subjectPrefix: uniqueName(`${label}_dlq`) },
  });
  return {
    bus,
    subjectPrefix,
    async cleanup() {
      await bus.close();
      const nc = await connect({ servers: testServices.natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.delete(stream);
        await jsm.streams.delete(deadLetterStream);
      } finally {
        await nc.close();
      }
    },
  };
}
