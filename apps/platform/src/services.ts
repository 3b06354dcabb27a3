import { configService } from '../../../services/config-service/src/service.js';
import { numberingService } from '../../../services/numbering-service/src/service.js';
import { operatorManagementService } from '../../../services/operator-management/src/service.js';
import { routingEngineService } from '../../../services/routing-engine/src/service.js';
import { smppGatewayService } from '../../../services/smpp-gateway/src/service.js';
import { smsOrchestratorService } from '../../../services/sms-orchestrator/src/service.js';
import type { ServiceDefinition } from '@sms/runtime';

/**
 * Every service of the platform, in start order (providers before their consumers), as each one's own
 * `main` runs it: reading its variables from `process.env`. `startPlatform` (platform.ts) runs the same
 * services built with the embedded wiring.
 */
export const platformServices: readonly ServiceDefinition[] = [
  configService,
  operatorManagementService,
  numberingService,
  routingEngineService,
  smsOrchestratorService,
  smppGatewayService,
];
