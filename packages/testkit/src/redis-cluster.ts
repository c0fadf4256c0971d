import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { RedisServer } from './redis-server.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

/** A master of a test cluster: its server, port and node id. */
export interface ClusterMaster {
  server: RedisServer;
  port: number;
  /** The node id CLUSTER NODES and CLUSTER SLOTS report. */
  id: string;
}

/**
 * A Redis Cluster of `redis-server --cluster-enabled yes` masters on free loopback ports (no
 * replicas), created with `redis-cli --cluster create`, owned by the test that started it.
 */
export class RedisCluster {
  readonly masters: ClusterMaster[];

  private constructor(masters: ClusterMaster[]) {
    this.masters = masters;
  }

  /** Starts `masters` nodes (3 at least, as redis-cli demands), joins them and waits for `cluster_state:ok`. */
  static async start(opts: { masters?: number; timeoutMs?: number } = {}): Promise<RedisCluster> {
    const count = opts.masters ?? 3;
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
              '--cluster-node-timeout',
              '3000',
            ],
          }),
        );
      }
      const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
      await run(
        'redis-cli',
        ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
        {
          timeout: timeoutMs,
        },
      );
      const masters: ClusterMaster[] = [];
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
          masters.push({ server, port: server.port, id: String(await conn.call('CLUSTER', 'MYID')) });
        } finally {
          conn.disconnect();
        }
      }
      return new RedisCluster(masters);
    } catch (err) {
      await Promise.all(servers.map((s) => s.dispose()));
      throw err;
    }
  }

  /** The seeds as `REDIS_CLUSTER_NODES` spells them. */
  get seeds(): string {
    return this.masters.map((m) => `127.0.0.1:${m.port}`).join(',');
  }

  /** A REDIS_URL for the apps (its host is not used once the seeds are given; its auth would be). */
  get url(): string {
    return `redis://127.0.0.1:${this.masters[0]?.port}`;
  }

  /** The slot of a key or channel, as the cluster computes it (`CLUSTER KEYSLOT`). */
  async keySlot(key: string): Promise<number> {
    return Number(await this.ask((c) => c.call('CLUSTER', 'KEYSLOT', key)));
  }

  /** The port of the master serving `slot`, from `CLUSTER NODES`. */
  async masterOfSlot(slot: number): Promise<number> {
    const text = String(await this.ask((c) => c.call('CLUSTER', 'NODES')));
    for (const line of text.trim().split('\n')) {
      const [, address, flags, , , , , , ...ranges] = line.split(' ');
      if (!flags?.includes('master')) continue;
      for (const range of ranges) {
        const [lo, hi] = range.split('-').map(Number);
        if (lo !== undefined && slot >= lo && slot <= (hi ?? lo)) return Number(address?.split(/[:@]/)[1]);
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  /** Stops every node and removes their directories. */
  async dispose(): Promise<void> {
    await Promise.all(this.masters.map((m) => m.server.dispose()));
  }

  private async ask<T>(fn: (conn: Redis) => Promise<T>): Promise<T> {
    const port = this.masters[0]?.port;
    const conn = new Redis(port ?? 0, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await conn.connect();
      return await fn(conn);
    } finally {
      conn.disconnect();
    }
  }
}
