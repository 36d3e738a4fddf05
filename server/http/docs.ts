// The OpenAPI 3 document, generated from the route schemas, at /openapi.json and as a page at /docs.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ErrorBody } from '../../shared/schemas.ts';
import { BOOKING_WEBHOOK_TYPES, BookingWebhookEvent } from '../../shared/webhooks.ts';
import { errorResponses } from './types.ts';

export default fp(async (app) => {
  app.addSchema(ErrorBody);
  app.addSchema(BookingWebhookEvent);
  await app.register(swagger, {
    openapi: {
      // 3.1: for the `webhooks` section (what we POST to the site owner's endpoints).
      openapi: '3.1.0',
      info: {
        title: 'Booking API',
        version: '1.0.0',
        description: 'Availability, bookings, manage links, video rooms and administration. Errors always answer `{ error, message }`.',
      },
      servers: [{ url: app.config.publicUrl }],
      webhooks: Object.fromEntries(BOOKING_WEBHOOK_TYPES.map((type) => [type, {
        post: {
          summary: `${type} (to every endpoint subscribed to it)`,
          description: 'Standard Webhooks: verify webhook-signature (HMAC-SHA256 of "id.timestamp.body" under the endpoint secret); webhook-id is stable across retries. Any 2xx acknowledges; anything else is retried 6 times over about 16 minutes. See docs/webhooks.md.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/BookingWebhookEvent' } } } },
          responses: { '2XX': { description: 'Received' } },
        },
      }])),
      components: {
        securitySchemes: {
          admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN of the site owner, or a site owner\'s console session' },
          specialist: { type: 'http', scheme: 'bearer', description: 'A specialist credential, or a specialist\'s console session' },
          session: { type: 'http', scheme: 'bearer', description: 'A console session (POST /api/auth/sign-in/...)' },
          manageToken: { type: 'http', scheme: 'bearer', description: 'The manage token of one booking' },
          visitorSession: { type: 'http', scheme: 'bearer', description: 'A visitor session: POST /api/visitor/session after a code sent to the address' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // Answers any route can give before or around its handler, documented on every operation.
    transform: ({ schema, url, route }) => {
      if (!schema || schema.hide) return { schema, url };
      const method = String(Array.isArray(route.method) ? route.method[0] : route.method).toUpperCase();
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      const framework = errorResponses(400, 414, 431, ...(withBody ? [413, 415] : []));
      return { schema: { ...schema, response: { ...framework, ...(schema.response as object | undefined) } }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}, { name: 'docs', dependencies: ['config'] });
