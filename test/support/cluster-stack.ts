import { env } from '@wasock/runtime';
import { type Cluster, openRedis } from '@wasock/store';
import { RedisCluster } from '@wasock/testkit';
import { type EdgeProcess, startEdge } from './edge-process.ts';
import {
  linkSession,
  type SimProcess,
  startSim,
  startWorker,
  testCredsKey,
  type WorkerProcess,
} from './system.ts';

/**
 * The system on a Redis Cluster of its own (three masters, `replicas` replicas each): a cluster
 * client for the test, the simulator, one session worker and one edge, both on the cluster.
 */
export class ClusterStack {
  readonly cluster: RedisCluster;
  readonly redis: Cluster;
  readonly sim: SimProcess;
  readonly worker: WorkerProcess;
  readonly edge: EdgeProcess;

  private constructor(
    cluster: RedisCluster,
    redis: Cluster,
    sim: SimProcess,
    worker: WorkerProcess,
    edge: EdgeProcess,
  ) {
    this.cluster = cluster;
    this.redis = redis;
    this.sim = sim;
    this.worker = worker;
    this.edge = edge;
  }

  /** Starts the cluster, then the simulator, a worker and an edge with REDIS_CLUSTER_NODES. */
  static async start(opts: { replicas?: number } = {}): Promise<ClusterStack> {
    const cluster = await RedisCluster.start({ masters: 3, replicas: opts.replicas ?? 0 });
    const redis = openRedis(
      { REDIS_URL: cluster.url, REDIS_CLUSTER_NODES: env.redisClusterNodes().parse(cluster.seeds) },
      { name: 'wasock-test-cluster' },
    ) as Cluster;
    // A killed node's connection errors until its slots move; the commands themselves retry.
    redis.on('error', () => undefined);
    const sim = await startSim();
    const clusterEnv = { REDIS_CLUSTER_NODES: cluster.seeds };
    const [worker, edge] = await Promise.all([
      startWorker(cluster.url, sim.wsUrl, testCredsKey(), clusterEnv),
      startEdge(cluster.url, clusterEnv),
    ]);
    return new ClusterStack(cluster, redis, sim, worker, edge);
  }

  /** Links a session with the simulated phone (its QR read from the cluster); the simulator's id. */
  link(sid: string): Promise<string> {
    return linkSession(this.cluster.url, this.sim.control, sid, undefined, {
      clusterNodes: this.cluster.seeds,
    });
  }

  /** Stops the processes, the client and the cluster. */
  async stop(): Promise<void> {
    await Promise.all([this.worker.stop(), this.edge.stop()]);
    await this.sim.stop();
    this.redis.disconnect();
    await this.cluster.dispose();
  }
}
