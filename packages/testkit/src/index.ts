export { AppProcess, type AppProcessOptions } from './app-process.ts';
export { trackChild } from './child-registry.ts';
export { freePort } from './free-port.ts';
export { type ClusterMaster, RedisCluster } from './redis-cluster.ts';
export {
  dockerAnswers,
  isolatedRedis,
  type RedisSource,
  sharedTestRedis,
  type TestRedis,
} from './redis-for-tests.ts';
export { ping, RedisServer, type RedisServerOptions } from './redis-server.ts';
export { sleep, waitFor } from './wait.ts';
