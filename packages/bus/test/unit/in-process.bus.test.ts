import { createInProcessBus } from '@sms/bus';
import { uniqueName } from '@sms/testing';
import { describeBusContract } from '../contract/bus.contract.js';

describeBusContract('in-process', () => {
  const bus = createInProcessBus();
  return Promise.resolve({
    bus,
    subjectPrefix: uniqueName('bus'),
    deadLetterPrefix: 'dlq',
    cleanup: () => bus.close(),
  });
});
