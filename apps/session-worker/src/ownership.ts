import type { Logger } from '@wasock/runtime';
import type { LeaseStore, SessionStore } from '@wasock/store';
import type { WorkerMetrics } from './metrics.ts';
import { plan } from './scheduler.ts';

export interface OwnershipOptions {
  me: string;
  leases: LeaseStore;
  sessions: SessionStore;
  leaseTtlMs: number;
  renewMs: number;
  intervalMs: number;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Start running a session we now hold the lease of. */
  onClaim: (sid: string) => Promise<void>;
  /** Stop running a session (lease lost, released, or shutting down). */
  onRelease: (sid: string, why: string) => Promise<void>;
}

/**
 * Keeps this worker's share of sessions: heartbeats, claims unowned sessions through leases,
 * renews what it holds, and stops a session the moment its lease is lost.
 */
export class Ownership {
  readonly owned = new Set<string>();
  private readonly opts: OwnershipOptions;
  private scheduleTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private ticking: Promise<void> | undefined;
  /** False until Redis answered a round; drives /readyz. */
  healthy = false;

  constructor(opts: OwnershipOptions) {
    this.opts = opts;
  }

  /** Runs the first round now, then every `intervalMs`; renews every `renewMs`. */
  start(): void {
    const loop = () => {
      this.ticking = this.tick().finally(() => {
        if (!this.stopped) this.scheduleTimer = setTimeout(loop, this.opts.intervalMs);
      });
    };
    loop();
    this.renewTimer = setInterval(() => void this.renew(), this.opts.renewMs);
  }

  /** One scheduling round; errors (Redis down) are logged and the next round tries again. */
  async tick(): Promise<void> {
    const { me, leases, sessions, logger } = this.opts;
    try {
      await leases.heartbeat(me);
      // A worker silent for a lease TTL has lost its leases too: do not save it a share.
      const workers = await leases.liveWorkers(this.opts.leaseTtlMs);
      const records = await sessions.list();
      const owners = await leases.owners(records.map((r) => r.sid));
      const views = records.map((r, i) => ({
        sid: r.sid,
        state: r.state,
        revoked: r.revoked !== undefined,
        owner: owners[i] ?? null,
      }));
      this.healthy = true;
      // A lease we hold but do not run (e.g. we restarted with the same id) counts as ours.
      for (const v of views) if (v.owner === me && !this.owned.has(v.sid)) v.owner = null;
      const next = plan(me, workers, views);
      for (const sid of next.release) await this.release(sid, 'rebalanced or no longer runnable');
      for (const sid of next.claim) {
        if (this.stopped) return;
        if (!(await leases.acquire(sid, me, this.opts.leaseTtlMs))) {
          // Our own stale lease from a previous run of this worker id: renew it instead.
          if (!(await leases.renew(sid, me, this.opts.leaseTtlMs))) continue;
        }
        this.owned.add(sid);
        this.opts.metrics.leaseAcquired.inc();
        logger.info({ sid }, 'session lease acquired');
        await this.opts
          .onClaim(sid)
          .catch((err: unknown) => logger.error({ err, sid }, 'starting a session failed'));
      }
    } catch (err) {
      this.healthy = false;
      logger.warn({ err }, 'scheduling round failed');
    }
  }

  private async renew(): Promise<void> {
    for (const sid of [...this.owned]) {
      let held: boolean;
      try {
        held = await this.opts.leases.renew(sid, this.opts.me, this.opts.leaseTtlMs);
      } catch (err) {
        // Redis unreachable: keep running; if the lease lapses meanwhile, the next renewal says so.
        this.opts.logger.warn({ err, sid }, 'lease renewal failed');
        continue;
      }
      if (!held && this.owned.has(sid)) {
        this.opts.metrics.leaseLost.inc();
        this.owned.delete(sid);
        this.opts.logger.warn({ sid }, 'session lease lost; stopping the session');
        await this.opts.onRelease(sid, 'lease lost');
      }
    }
  }

  /** Stops a session and gives its lease back. */
  async release(sid: string, why: string): Promise<void> {
    if (!this.owned.delete(sid)) return;
    this.opts.logger.info({ sid, why }, 'releasing session');
    await this.opts.onRelease(sid, why);
    await this.opts.leases.release(sid, this.opts.me).catch((err: unknown) => {
      this.opts.logger.warn({ err, sid }, 'lease release failed; it expires by itself');
    });
  }

  /** Clean shutdown: stop scheduling, stop every session, release every lease, leave the registry. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.scheduleTimer);
    clearInterval(this.renewTimer);
    await this.ticking;
    for (const sid of [...this.owned]) await this.release(sid, 'shutting down');
    await this.opts.leases.leave(this.opts.me).catch((err: unknown) => {
      this.opts.logger.warn({ err }, 'leaving the worker registry failed');
    });
  }
}
