import { createLogger, createRegistry, loadConfig, onShutdown, startHttpServer } from '@wasock/runtime';
import { WorkerConfig } from './config.ts';
import { normalize } from './normalize.ts';
import { SessionWorker } from './worker.ts';

const logger = createLogger({ name: 'session-worker' });
try {
  const config = loadConfig(WorkerConfig);
  logger.level = config.LOG_LEVEL;
  const registry = createRegistry('session-worker');
  let worker: SessionWorker | undefined;
  // The HTTP server starts first: the media URL base defaults to its real port.
  const http = await startHttpServer({
    port: config.HTTP_PORT,
    host: config.HTTP_HOST,
    registry,
    isReady: () => worker?.ready ?? false,
    handle: (req, res) => worker?.mediaStore.serve(req, res) ?? false,
    logger,
  });
  const mediaBaseUrl = config.MEDIA_BASE_URL ?? `http://127.0.0.1:${http.port}`;
  worker = await SessionWorker.start(config, { logger, registry, normalize, mediaBaseUrl });
  logger.info(
    { workerId: config.WORKER_ID, httpPort: http.port, waUrl: config.WA_URL },
    `session-worker ${config.WORKER_ID} listening on ${config.HTTP_HOST}:${http.port}`,
  );
  const running = worker;
  onShutdown(async () => {
    await running.stop();
    await http.close();
  }, logger);
} catch (err) {
  logger.fatal({ err }, 'session-worker failed to start');
  process.exit(1);
}
