import { createHttpApp, openApiDocumentOf } from '@sms/http';
import { createLogger } from '@sms/logging';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { ServiceDefinition } from './service-definition.js';

/**
 * The OpenAPI 3.1 document of a service, built from its route schemas without touching any
 * infrastructure (the routes are registered, never called).
 */
export async function buildOpenApiDocument(definition: ServiceDefinition): Promise<OpenAPIV3_1.Document> {
  const app = await createHttpApp({
    service: definition.name,
    version: definition.apiVersion,
    description: definition.description,
    logger: createLogger({ service: definition.name, level: 'silent' }),
  });
  try {
    definition.registerApiRoutes(app);
    return await openApiDocumentOf(app);
  } finally {
    await app.close();
  }
}
