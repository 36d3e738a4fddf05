// The OpenAPI 3 document, generated from the route schemas, at /openapi.json and as a page at /docs.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ErrorBody } from '../../shared/schemas.ts';

export default fp(async (app) => {
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Booking API',
        version: '1.0.0',
        description: 'Availability, bookings, manage links, video rooms and administration. Errors always answer `{ error, message }`.',
      },
      servers: [{ url: app.config.publicUrl }],
      components: {
        securitySchemes: {
          admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN of the site owner, or a site owner\'s console session' },
          specialist: { type: 'http', scheme: 'bearer', description: 'A specialist credential, or a specialist\'s console session' },
          session: { type: 'http', scheme: 'bearer', description: 'A console session (POST /api/auth/sign-in/...)' },
          manageToken: { type: 'http', scheme: 'bearer', description: 'The manage token of one booking' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}, { name: 'docs', dependencies: ['config'] });
