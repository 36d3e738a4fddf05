// The database as a Fastify decoration, closed with the app.
import fp from 'fastify-plugin';
import { createDb, type Db } from './pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export default fp(async (app, opts: { databaseUrl: string; poolSize?: number }) => {
  const db = createDb(opts.databaseUrl, opts.poolSize);
  app.decorate('db', db);
  app.addHook('onClose', async () => db.destroy());
}, { name: 'db' });
