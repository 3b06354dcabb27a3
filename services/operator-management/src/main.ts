// Composition root of operator-management when it runs as its own process (production: one process per service).
import { runServices } from '@sms/runtime';
import { operatorManagementService } from './service.js';

await runServices([operatorManagementService]);
