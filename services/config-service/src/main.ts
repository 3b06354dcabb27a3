// Composition root of config-service when it runs as its own process (production: one process per service).
import { runServices } from '@sms/runtime';
import { configService } from './service.js';

await runServices([configService]);
