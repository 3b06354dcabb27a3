import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectNatsBus } from '@sms/bus';
import { testServices, uniqueName } from '@sms/testing';
import { describeBusContract } from '../contract/bus.contract.js';

describeBusContract('NATS JetStream', async () => {
  const subjectPrefix = uniqueName('bus');
  const deadLetterPrefix = `${subjectPrefix}_dlq`;
  const stream = uniqueName('bus_stream');
  const deadLetterStream = uniqueName('bus_dlq');
  const bus = await connectNatsBus({
    servers: testServices.natsUrl,
    connectionName: 'bus-contract',
    streams: [{ name: stream, subjects: [`${subjectPrefix}.>`] }],
    deadLetter: { stream: deadLetterStream, subjectPrefix: deadLetterPrefix },
  });
  return {
    bus,
    subjectPrefix,
    deadLetterPrefix,
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
});
