// Composition root of smpp-gateway when it runs as its own process (production: one process per service).
import { runServices } from '@sms/runtime';
import { smppGatewayService } from './service.js';

await runServices([smppGatewayService]);
