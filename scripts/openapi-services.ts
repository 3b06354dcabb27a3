import type { OpenApiService } from '@sms/http';
import { buildOpenApiDocument } from '@sms/runtime';
import { platformServices } from '../apps/platform/src/services.js';

/**
 * The services whose OpenAPI document is committed as `services/<name>/openapi.json` and checked by
 * `npm run openapi:check`: every service of the platform, built from its route schemas alone.
 */
export const openApiServices: OpenApiService[] = platformServices.map((definition) => ({
  name: definition.name,
  dir: `services/${definition.name}`,
  build: () => buildOpenApiDocument(definition),
}));
