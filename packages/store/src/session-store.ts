import { SessionState } from '@wasock/contracts';
import { keys } from './keys.ts';
import { isCluster, type RedisLike } from './redis.ts';

/** Which WhatsApp protocol runs a session: the retired web protocol (simulator) or multi-device. */
export type ConnectorKind = 'legacy' | 'multidevice';

/** Every connector kind, for parsing options and environment values. */
export const CONNECTOR_KINDS: readonly ConnectorKind[] = ['legacy', 'multidevice'];

/** Whether a string names a connector kind. */
export function isConnectorKind(value: unknown): value is ConnectorKind {
  return CONNECTOR_KINDS.includes(value as ConnectorKind);
}

/** A session as operators and workers see it. */
export interface SessionRecord {
  sid: string;
  state: SessionState;
  label: string;
  created: number;
  tokenHash: string;
  /** The QR text to scan while `awaiting_scan`. */
  qr?: string;
  /** Worker id holding the lease, as last recorded by that worker. */
  owner?: string;
  revoked?: number;
  updated?: number;
  /** Why the session is `failed` or `logged_out`, for operators. */
  reason?: string;
  /** The connector chosen at creation; absent: the worker's `WA_CONNECTOR`. */
  connector?: ConnectorKind;
}

function toRecord(sid: string, h: Record<string, string>): SessionRecord | null {
  if (!h.tokenHash) return null;
  const state = SessionState.safeParse(h.state);
  return {
    sid,
    state: state.success ? state.data : 'failed',
    label: h.label ?? '',
    created: Number(h.created ?? 0),
    tokenHash: h.tokenHash,
    ...(h.qr ? { qr: h.qr } : {}),
    ...(h.owner ? { owner: h.owner } : {}),
    ...(h.revoked ? { revoked: Number(h.revoked) } : {}),
    ...(h.updated ? { updated: Number(h.updated) } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
    ...(isConnectorKind(h.connector) ? { connector: h.connector } : {}),
  };
}

/** What an operator can ask of the worker running a session. */
export type SessionCommand = 'logout' | 'restart';

/** Session records: state, QR, owner; every state change is announced on a channel. */
export class SessionStore {
  private readonly redis: RedisLike;

  constructor(redis: RedisLike) {
    this.redis = redis;
  }

  /** Reads one session, or null. */
  async get(sid: string): Promise<SessionRecord | null> {
    return toRecord(sid, await this.redis.hgetall(keys.session(sid)));
  }

  /** Every session id, sorted. */
  async ids(): Promise<string[]> {
    return (await this.redis.smembers(keys.sessions())).sort();
  }

  /** Every session record, in one pipeline (on Cluster, one command each, sent together). */
  async list(): Promise<SessionRecord[]> {
    const ids = await this.ids();
    if (ids.length === 0) return [];
    if (isCluster(this.redis)) {
      // Sessions live in many slots on many nodes, and ioredis refuses a pipeline that spans
      // nodes; commands issued in one tick are still written to each node's socket together.
      const hashes = await Promise.all(ids.map((sid) => this.redis.hgetall(keys.session(sid))));
      return ids.flatMap((sid, i) => {
        const rec = toRecord(sid, hashes[i] ?? {});
        return rec ? [rec] : [];
      });
    }
    const pipe = this.redis.pipeline();
    for (const sid of ids) pipe.hgetall(keys.session(sid));
    const res = (await pipe.exec()) ?? [];
    return ids.flatMap((sid, i) => {
      const rec = toRecord(sid, (res[i]?.[1] ?? {}) as Record<string, string>);
      return rec ? [rec] : [];
    });
  }

  /**
   * Records a new state (with the QR while awaiting a scan, a reason when it failed) and
   * announces `<sid> <state>` to watchers.
   */
  async setState(
    sid: string,
    state: SessionState,
    extra: { qr?: string; owner?: string; reason?: string } = {},
  ): Promise<void> {
    const fields: Record<string, string | number> = { state, updated: Date.now() };
    if (extra.owner !== undefined) fields.owner = extra.owner;
    if (extra.qr !== undefined) fields.qr = extra.qr;
    if (extra.reason !== undefined) fields.reason = extra.reason;
    // One key and a keyless PUBLISH: a valid transaction on Cluster too.
    const tx = this.redis.multi().hset(keys.session(sid), fields);
    if (extra.qr === undefined) tx.hdel(keys.session(sid), 'qr');
    if (extra.reason === undefined) tx.hdel(keys.session(sid), 'reason');
    await tx.publish(keys.sessionChanges(), `${sid} ${state}`).exec();
  }

  /**
   * Logs a session out of WhatsApp: the worker running it says goodbye and forgets the
   * credentials; a session nobody runs is marked logged out here. A new QR scan is needed after.
   */
  async logout(sid: string): Promise<void> {
    if (await this.redis.exists(keys.lease(sid))) {
      await this.redis.publish(keys.sessionCommands(), `${sid} logout`);
      return;
    }
    await this.deleteCreds(sid);
    await this.setState(sid, 'logged_out', { reason: 'logged out by an operator' });
  }

  /**
   * Restarts a session: its worker reconnects it (takeover with stored credentials, or a new
   * QR); a session nobody runs (logged out, replaced, failed) becomes `new` and is claimed again.
   */
  async restart(sid: string): Promise<void> {
    await this.setState(sid, 'new');
    await this.redis.publish(keys.sessionCommands(), `${sid} restart`);
  }

  /** Reads the encrypted credentials blob of a session, or null. */
  getCreds(sid: string): Promise<string | null> {
    return this.redis.get(keys.creds(sid));
  }

  /** Stores the encrypted credentials blob of a session. */
  async setCreds(sid: string, blob: string): Promise<void> {
    await this.redis.set(keys.creds(sid), blob);
  }

  /** Forgets the credentials of either connector (logged out: a new QR scan is needed). */
  async deleteCreds(sid: string): Promise<void> {
    // Both keys carry the session's hash tag: one slot, one command.
    await this.redis.del(keys.creds(sid), keys.mdAuth(sid));
  }
}
