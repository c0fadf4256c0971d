import { createHash, randomBytes } from 'node:crypto';
import type { SessionState } from '@wasock/contracts';
import { keys } from './keys.ts';
import { isCluster, type RedisLike } from './redis.ts';
import type { ConnectorKind } from './session-store.ts';

/** SHA-256 of a token, hex: the only form in which a token is ever stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new API token: 32 random bytes, base64url (43 printable characters, no padding). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new session id: 16 lowercase hex digits. */
export function newSessionId(): string {
  return randomBytes(8).toString('hex');
}

/** Creates, resolves and revokes API tokens; each token owns one session. */
export class TokenStore {
  private readonly redis: RedisLike;

  constructor(redis: RedisLike) {
    this.redis = redis;
  }

  /**
   * Creates a token and its session (state `new`), run by `connector` when given (else by the
   * worker's default). Returns the token: the only time it exists in clear.
   */
  async create(
    opts: { label?: string; connector?: ConnectorKind } = {},
  ): Promise<{ token: string; sid: string }> {
    const token = newToken();
    const sid = newSessionId();
    const tokenHash = hashToken(token);
    const record = {
      state: 'new' satisfies SessionState,
      label: opts.label ?? '',
      created: Date.now(),
      tokenHash,
      ...(opts.connector ? { connector: opts.connector } : {}),
    };
    if (isCluster(this.redis)) {
      // The three keys live in three slots, so no transaction can hold them. The token key goes
      // last: a crash before it leaves a listed session nobody can authenticate as (an operator
      // sees and revokes it), never a token that resolves to a missing session.
      await this.redis.hset(keys.session(sid), record);
      await this.redis.sadd(keys.sessions(), sid);
      await this.redis.set(keys.token(tokenHash), sid);
      return { token, sid };
    }
    await this.redis
      .multi()
      .set(keys.token(tokenHash), sid)
      .hset(keys.session(sid), record)
      .sadd(keys.sessions(), sid)
      .exec();
    return { token, sid };
  }

  /** The session id a token belongs to, or null for an unknown or revoked token. */
  async resolve(token: string): Promise<string | null> {
    return this.resolveHash(hashToken(token));
  }

  /** The session id for a token hash, or null. */
  async resolveHash(tokenHash: string): Promise<string | null> {
    return this.redis.get(keys.token(tokenHash));
  }

  /**
   * Revokes a token: it stops authenticating at once, and every edge closes its open
   * connections (announced on the revocations channel). Returns false for an unknown token.
   */
  async revoke(token: string): Promise<boolean> {
    const tokenHash = hashToken(token);
    const sid = await this.redis.get(keys.token(tokenHash));
    if (!sid) return false;
    if (isCluster(this.redis)) {
      // Token key and session hash are in different slots (no MULTI across slots): the DEL
      // first, since it is what stops authentication; the announcement last, so an edge that
      // re-checks on hearing it finds the token gone.
      await this.redis.del(keys.token(tokenHash));
      await this.redis.hset(keys.session(sid), 'revoked', Date.now());
      await this.redis.publish(keys.revocations(), tokenHash);
      return true;
    }
    await this.redis
      .multi()
      .del(keys.token(tokenHash))
      .hset(keys.session(sid), 'revoked', Date.now())
      .publish(keys.revocations(), tokenHash)
      .exec();
    return true;
  }

  /**
   * Revokes a session's token by session id, for operators who never see tokens after creation.
   * Same effect as `revoke`. Returns the revocation time, or null when the session is unknown or
   * its token was already revoked.
   */
  async revokeSession(sid: string): Promise<number | null> {
    const tokenHash = await this.redis.hget(keys.session(sid), 'tokenHash');
    if (!tokenHash) return null;
    // DEL decides: of two concurrent revocations, only the one that removed the key goes on.
    if ((await this.redis.del(keys.token(tokenHash))) === 0) return null;
    const at = Date.now();
    // One key and a keyless PUBLISH: a valid transaction on Cluster too.
    await this.redis
      .multi()
      .hset(keys.session(sid), 'revoked', at)
      .publish(keys.revocations(), tokenHash)
      .exec();
    return at;
  }
}
