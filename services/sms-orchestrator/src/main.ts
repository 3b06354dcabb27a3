// Composition root of sms-orchestrator when it runs as its own process (production: one process per service).
import { runServices } from '@sms/runtime';
import { smsOrchestratorService } from './service.js';

await runServices([smsOrchestratorService]);
