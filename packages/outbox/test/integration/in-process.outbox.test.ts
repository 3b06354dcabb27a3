import { describeOutboxScenarios } from './outbox.scenarios.js';
import { inProcessBusFixture } from './support.js';

describeOutboxScenarios('the in-process bus', () => inProcessBusFixture('outbox_inproc'));
