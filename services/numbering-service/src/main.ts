// Composition root of numbering-service when it runs as its own process (production: one process per service).
import { runServices } from '@sms/runtime';
import { numberingService } from './service.js';

await runServices([numberingService]);
