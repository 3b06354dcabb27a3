// Composition root of routing-engine when it runs as its own process (production: one process per service).
import { runServices } from '@sms/runtime';
import { routingEngineService } from './service.js';

await runServices([routingEngineService]);
