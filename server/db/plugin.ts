// The database as a Fastify decoration, closed with the app. Its sessions carry the configured
// statement and lock timeouts (server/db/pool.ts), so no request waits on PostgreSQL unboundedly.
import fp from 'fastify-plugin';
import { createDb, type Db, type DbLimits } from './pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export default fp(async (app, opts: { databaseUrl: string; poolSize?: number; limits: DbLimits }) => {
  const db = createDb(opts.databaseUrl, opts.poolSize, opts.limits, app.log);
  app.decorate('db', db);
  app.addHook('onClose', async () => db.destroy());
}, { name: 'db' });
