import { keys, type RedisLike } from '@wasock/store';
import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import { AuthStateError } from './errors.ts';

// One Redis hash per session, `wasock:{sid}:md-auth`: field `creds` holds the credentials, field
// `<type>/<id>` each Signal key (pre-keys, sessions, sender keys, app-state keys…). Every value
// is BufferJSON text sealed with the worker's AES-256-GCM key, bound to `<sid>/<field>` so a blob
// copied onto another field or session does not open. One keys.set() is one script call: all of
// its writes and deletions land together or not at all, and, when fenced, only while this worker
// still holds the session's lease (a stalled worker that lost the lease cannot clobber the state
// its successor is writing).

const CREDS_FIELD = 'creds';

// KEYS[1] the auth hash, KEYS[2] the lease (or the auth hash again when unfenced);
// ARGV[1] fence owner ('' = unfenced), ARGV[2] number of field/value pairs to set, then the
// pairs, then the fields to delete. HSET/HDEL in slices so a big set stays under Lua's stack limit.
const WRITE_LUA = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return redis.error_reply('LEASE_LOST')
end
local nset = tonumber(ARGV[2])
local i = 3
local last = 2 + 2 * nset
while i <= last do
  local stop = math.min(last, i + 999)
  redis.call('HSET', KEYS[1], unpack(ARGV, i, stop))
  i = stop + 1
end
local n = #ARGV
while i <= n do
  local stop = math.min(n, i + 999)
  redis.call('HDEL', KEYS[1], unpack(ARGV, i, stop))
  i = stop + 1
end
return 1`;

const CLEAR_LUA = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return redis.error_reply('LEASE_LOST')
end
return redis.call('DEL', KEYS[1])`;

type WithAuthScripts = RedisLike & {
  wasockMdAuthWrite(authKey: string, leaseKey: string, ...args: string[]): Promise<number>;
  wasockMdAuthClear(authKey: string, leaseKey: string, owner: string): Promise<number>;
};

/**
 * Encryption at rest, injected by the worker (its CREDS_KEY and `sealCreds`/`openCreds`) so this
 * package does not depend on the worker. `context` is associated data: what the blob belongs to.
 */
export interface AuthSealer {
  seal(context: string, plain: string): string;
  /** Throws when the key is wrong or the blob was altered. */
  open(context: string, blob: string): string;
}

/** Options of a session's Redis auth state. */
export interface RedisAuthStateOptions {
  redis: RedisLike;
  sid: string;
  sealer: AuthSealer;
  /** Write only while this owner holds the session's lease (`keys.lease(sid)`). */
  leaseOwner?: string;
}

/** Baileys' auth state backed by Redis, plus what the connector needs to persist and forget it. */
export interface MultiDeviceAuth {
  /** Pass to Baileys as `auth`; `creds` is mutated by Baileys in place. */
  readonly state: AuthenticationState;
  /** True when credentials were found in Redis (a linked session: no QR needed). */
  readonly restored: boolean;
  /** Writes the current `state.creds` (after each `creds.update`). */
  saveCreds(): Promise<void>;
  /** Deletes the whole auth state (logged out: a new link is needed). */
  clear(): Promise<void>;
}

/** A session's auth state from Redis: loads the credentials now, Signal keys on demand. */
export async function loadRedisAuthState(opts: RedisAuthStateOptions): Promise<MultiDeviceAuth> {
  const store = new RedisAuthStore(opts);
  const stored = await store.readCreds();
  const creds = stored ?? initAuthCreds();
  return {
    state: { creds, keys: store.keyStore() },
    restored: stored !== null,
    saveCreds: () => store.writeCreds(creds),
    clear: () => store.clear(),
  };
}

/** The Redis side of the auth state; exported for tests that look under the hood. */
export class RedisAuthStore {
  private readonly redis: WithAuthScripts;
  private readonly sid: string;
  private readonly sealer: AuthSealer;
  private readonly owner: string;
  private readonly authKey: string;
  private readonly leaseKey: string;
  // Writes leave in call order, so an older creds document never overwrites a newer one.
  private tail: Promise<unknown> = Promise.resolve();

  constructor(opts: RedisAuthStateOptions) {
    if (!('wasockMdAuthWrite' in opts.redis)) {
      opts.redis.defineCommand('wasockMdAuthWrite', { numberOfKeys: 2, lua: WRITE_LUA });
      opts.redis.defineCommand('wasockMdAuthClear', { numberOfKeys: 2, lua: CLEAR_LUA });
    }
    this.redis = opts.redis as WithAuthScripts;
    this.sid = opts.sid;
    this.sealer = opts.sealer;
    this.owner = opts.leaseOwner ?? '';
    this.authKey = keys.mdAuth(opts.sid);
    this.leaseKey = opts.leaseOwner ? keys.lease(opts.sid) : this.authKey;
  }

  /** The stored credentials, or null when the session was never linked (or was logged out). */
  async readCreds(): Promise<AuthenticationCreds | null> {
    const blob = await this.redis.hget(this.authKey, CREDS_FIELD);
    return blob === null ? null : (this.decode(CREDS_FIELD, blob) as AuthenticationCreds);
  }

  /** Seals and stores the credentials document. */
  writeCreds(creds: AuthenticationCreds): Promise<void> {
    return this.write([[CREDS_FIELD, creds]], []);
  }

  /** Baileys' SignalKeyStore over this hash. */
  keyStore(): SignalKeyStore {
    return {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const out: { [id: string]: SignalDataTypeMap[T] } = {};
        if (ids.length === 0) return out;
        const fields = ids.map((id) => fieldOf(type, id));
        const blobs = await this.redis.hmget(this.authKey, ...fields);
        ids.forEach((id, i) => {
          const blob = blobs[i];
          if (blob == null) return;
          let value = this.decode(fields[i]!, blob);
          // Baileys expects this one as a proto object (as its own file store revives it).
          if (type === 'app-state-sync-key')
            value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          out[id] = value as SignalDataTypeMap[T];
        });
        return out;
      },
      set: async (data: SignalDataSet) => {
        const puts: [string, unknown][] = [];
        const dels: string[] = [];
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            if (value == null) dels.push(fieldOf(type, id));
            else puts.push([fieldOf(type, id), value]);
          }
        }
        await this.write(puts, dels);
      },
      clear: () => this.clear(),
    };
  }

  /** Deletes the whole auth state. */
  clear(): Promise<void> {
    return this.serial(async () => {
      await this.run(() => this.redis.wasockMdAuthClear(this.authKey, this.leaseKey, this.owner));
    });
  }

  private write(puts: [string, unknown][], dels: string[]): Promise<void> {
    if (puts.length === 0 && dels.length === 0) return Promise.resolve();
    // Sealed before queueing: the document is captured as it is now, not when the write runs.
    const args: string[] = [this.owner, String(puts.length)];
    for (const [field, value] of puts) args.push(field, this.encode(field, value));
    args.push(...dels);
    return this.serial(async () => {
      await this.run(() => this.redis.wasockMdAuthWrite(this.authKey, this.leaseKey, ...args));
    });
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async run(call: () => Promise<number>): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (err instanceof Error && err.message.includes('LEASE_LOST'))
        throw new AuthStateError(
          'lease_lost',
          `session ${this.sid} is leased by another worker; its auth state was not written`,
          { cause: err },
        );
      throw err;
    }
  }

  private encode(field: string, value: unknown): string {
    return this.sealer.seal(this.context(field), JSON.stringify(value, BufferJSON.replacer));
  }

  private decode(field: string, blob: string): unknown {
    let text: string;
    try {
      text = this.sealer.open(this.context(field), blob);
    } catch (err) {
      throw new AuthStateError(
        'auth_state_unreadable',
        `the multi-device auth state of session ${this.sid} does not open with CREDS_KEY (wrong key, or field ${field} was altered)`,
        { cause: err },
      );
    }
    try {
      return JSON.parse(text, BufferJSON.reviver);
    } catch (err) {
      throw new AuthStateError('auth_state_corrupt', `field ${field} of session ${this.sid} is not JSON`, {
        cause: err,
      });
    }
  }

  private context(field: string): string {
    return `${this.sid}/${field}`;
  }
}

// `/` cannot occur in a Signal key type, so `<type>/<id>` is unambiguous (ids may hold `:`, `.`).
function fieldOf(type: string, id: string): string {
  return `${type}/${id}`;
}
