export { WasockError } from '@wasock/contracts';
export { ConfigError, env, loadConfig } from './config.ts';
export { type HttpServerHandle, type HttpServerOptions, startHttpServer } from './http-server.ts';
export { createLogger, type Logger } from './logger.ts';
export { createRegistry } from './metrics.ts';
export { onShutdown } from './shutdown.ts';
