import { natsBusFixture } from '@sms/testing';
import { describeBusContract } from '../contract/bus.contract.js';

describeBusContract('NATS JetStream', () => natsBusFixture('bus'));
