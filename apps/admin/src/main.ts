import { join } from 'node:path';
import { createLogger, createRegistry, onShutdown, startHttpServer } from '@wasock/runtime';
import { openRedis, SessionStore } from '@wasock/store';
import { createApiHandler } from './api.ts';
import { AdminAuth } from './auth.ts';
import { loadAdminConfig } from './config.ts';
import { LiveHub } from './live-hub.ts';
import { LiveSocketServer } from './live-socket.ts';
import { createAdminMetrics } from './metrics.ts';
import { buildOpenApi } from './openapi.ts';
import { renderQr } from './qr-image.ts';
import { Router } from './router.ts';
import { ROUTES } from './routes.ts';
import { AdminSends } from './sends.ts';
import { AdminSessions } from './sessions.ts';
import { StaticFiles } from './static-files.ts';

const logger = createLogger({ name: 'admin' });
try {
  const config = loadAdminConfig();
  logger.level = config.LOG_LEVEL;
  const registry = createRegistry('admin');
  const metrics = createAdminMetrics(registry);
  // Two Redis connections per admin process, however many browsers: commands, and one
  // subscriber shared by every live client.
  // REDIS_CLUSTER_NODES switches both to Redis Cluster (live channels then are shard channels).
  const redis = openRedis(config, { name: 'wasock-admin' });
  const subscriber = openRedis(config, { name: 'wasock-admin-sub', shardedSubscribers: true });
  for (const [name, conn] of [
    ['commands', redis],
    ['subscriber', subscriber],
  ] as const) {
    conn.on('error', (err: Error) => logger.warn({ err: err.message, connection: name }, 'redis error'));
  }
  const auth = new AdminAuth(config.ADMIN_TOKEN);
  const sessions = new AdminSessions(redis, logger);
  const sends = new AdminSends(redis, new SessionStore(redis), { sendsPerMinute: config.SENDS_PER_MINUTE });
  const hub = new LiveHub(subscriber, (sid) => sessions.find(sid), logger);
  const openapi = buildOpenApi(ROUTES);
  let draining = false;

  const http = await startHttpServer({
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    registry,
    isReady: () => !draining && redis.status === 'ready' && subscriber.status === 'ready',
    handle: createApiHandler({
      router: new Router(ROUTES),
      deps: {
        sessions,
        sends,
        renderQr,
        openapi: () => openapi,
        edgeAddress: config.EDGE_PUBLIC_ADDRESS ?? null,
      },
      auth,
      console: new StaticFiles(join(import.meta.dirname, '..', 'console')),
      metrics,
      logger,
    }),
    logger,
  });
  const live = new LiveSocketServer(hub, auth, metrics, logger);
  live.attach(http.server);
  await hub.start();
  logger.info(
    { httpPort: http.port, host: config.HTTP_HOST },
    `admin listening on ${config.HTTP_HOST}:${http.port} (console at /)`,
  );
  onShutdown(async () => {
    draining = true;
    await live.close();
    await sends.close();
    await http.close();
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
  }, logger);
} catch (err) {
  logger.fatal({ err }, 'admin failed to start');
  process.exit(1);
}
