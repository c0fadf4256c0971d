import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { RedisServer } from './redis-server.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

/** A node of a test cluster: its server, port and node id. */
export interface ClusterMaster {
  server: RedisServer;
  port: number;
  /** The node id CLUSTER NODES and CLUSTER SLOTS report. */
  id: string;
}

/**
 * A Redis Cluster of `redis-server --cluster-enabled yes` nodes on free loopback ports, created
 * with `redis-cli --cluster create`, owned by the test that started it: `masters` masters, each
 * with `replicas` replicas that take over when it dies.
 */
export class RedisCluster {
  /** The masters as created (a failover does not reorder them). */
  readonly masters: ClusterMaster[];
  readonly replicas: ClusterMaster[];

  private constructor(masters: ClusterMaster[], replicas: ClusterMaster[]) {
    this.masters = masters;
    this.replicas = replicas;
  }

  /**
   * Starts the nodes (3 masters at least, as redis-cli demands), joins them and waits until every
   * node reports `cluster_state:ok` and every replica is in sync with its master.
   */
  static async start(
    opts: { masters?: number; replicas?: number; timeoutMs?: number } = {},
  ): Promise<RedisCluster> {
    const count = (opts.masters ?? 3) * (1 + (opts.replicas ?? 0));
    const timeoutMs = opts.timeoutMs ?? 20_000;
    const servers: RedisServer[] = [];
    try {
      for (let i = 0; i < count; i++) {
        // The bus port is set explicitly: the default (port + 10000) may be taken or beyond 65535.
        const busPort = await freePort();
        servers.push(
          await RedisServer.start({
            extraArgs: [
              '--cluster-enabled',
              'yes',
              // Relative to the server's own temporary --dir.
              '--cluster-config-file',
              'nodes.conf',
              '--cluster-port',
              String(busPort),
              // Also how long a dead master goes unnoticed before its replica is promoted.
              '--cluster-node-timeout',
              '3000',
            ],
          }),
        );
      }
      const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
      await run(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...addresses,
          '--cluster-replicas',
          String(opts.replicas ?? 0),
          '--cluster-yes',
        ],
        {
          timeout: timeoutMs,
        },
      );
      const masters: ClusterMaster[] = [];
      const replicas: ClusterMaster[] = [];
      for (const server of servers) {
        const conn = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
          await conn.connect();
          // Every node must see the whole cluster as ok, or clients get CLUSTERDOWN/MOVED loops.
          await waitFor(async () => /cluster_state:ok/.test(String(await conn.call('CLUSTER', 'INFO'))), {
            timeoutMs,
            intervalMs: 100,
            what: `cluster_state:ok on ${server.port}`,
          });
          const node = { server, port: server.port, id: String(await conn.call('CLUSTER', 'MYID')) };
          const info = String(await conn.info('replication'));
          if (!/role:slave/.test(info)) {
            masters.push(node);
            continue;
          }
          // A replica that has not synced yet could not take over.
          await waitFor(async () => /master_link_status:up/.test(String(await conn.info('replication'))), {
            timeoutMs,
            intervalMs: 100,
            what: `replica ${server.port} in sync`,
          });
          replicas.push(node);
        } finally {
          conn.disconnect();
        }
      }
      return new RedisCluster(masters, replicas);
    } catch (err) {
      await Promise.all(servers.map((s) => s.dispose()));
      throw err;
    }
  }

  /** The seeds as `REDIS_CLUSTER_NODES` spells them: every node, so any survivor can answer. */
  get seeds(): string {
    return [...this.masters, ...this.replicas].map((m) => `127.0.0.1:${m.port}`).join(',');
  }

  /** A REDIS_URL for the apps (its host is not used once the seeds are given; its auth would be). */
  get url(): string {
    return `redis://127.0.0.1:${this.masters[0]?.port}`;
  }

  /** The slot of a key or channel, as the cluster computes it (`CLUSTER KEYSLOT`). */
  async keySlot(key: string): Promise<number> {
    return Number(await this.ask((c) => c.call('CLUSTER', 'KEYSLOT', key)));
  }

  /** The port of the live master serving `slot`, from `CLUSTER NODES`. */
  async masterOfSlot(slot: number): Promise<number> {
    const text = String(await this.ask((c) => c.call('CLUSTER', 'NODES')));
    for (const line of text.trim().split('\n')) {
      const [, address, flags, , , , , , ...ranges] = line.split(' ');
      // `fail?` or `fail`: the node is (thought) dead, its slots about to move to a replica.
      if (!flags?.includes('master') || flags.includes('fail')) continue;
      for (const range of ranges) {
        const [lo, hi] = range.split('-').map(Number);
        if (lo !== undefined && slot >= lo && slot <= (hi ?? lo)) return Number(address?.split(/[:@]/)[1]);
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  /** SIGKILLs the node on `port`: the abrupt death a replica takes over from. */
  async kill(port: number): Promise<void> {
    const node = [...this.masters, ...this.replicas].find((n) => n.port === port);
    if (!node) throw new Error(`no node of this cluster on port ${port}`);
    await node.server.kill();
  }

  /** Stops every node and removes their directories. */
  async dispose(): Promise<void> {
    await Promise.all([...this.masters, ...this.replicas].map((m) => m.server.dispose()));
  }

  // Asks a node that is running (after a kill, the others still know the cluster).
  private async ask<T>(fn: (conn: Redis) => Promise<T>): Promise<T> {
    const port = [...this.masters, ...this.replicas].find((n) => n.server.running)?.port;
    const conn = new Redis(port ?? 0, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await conn.connect();
      return await fn(conn);
    } finally {
      conn.disconnect();
    }
  }
}
