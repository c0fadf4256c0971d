import { createLogger, createRegistry, loadConfig, onShutdown, startHttpServer } from '@wasock/runtime';
import { EdgeConfig } from './config.ts';
import { Edge } from './edge.ts';

const logger = createLogger({ name: 'sock-edge' });
try {
  const config = loadConfig(EdgeConfig);
  logger.level = config.LOG_LEVEL;
  const registry = createRegistry('sock-edge');
  const edge = await Edge.start(config, logger, registry);
  const http = await startHttpServer({
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    registry,
    isReady: () => edge.ready,
    logger,
  });
  logger.info(
    { port: edge.port, httpPort: http.port },
    `sock-edge listening on ${config.EDGE_HOST}:${edge.port}`,
  );
  onShutdown(async () => {
    await edge.stop();
    await http.close();
  }, logger);
} catch (err) {
  logger.fatal({ err }, 'sock-edge failed to start');
  process.exit(1);
}
