import { keys, type RedisLike, type SessionStore } from '@wasock/store';
import { parseCredentials, type WaCredentials } from '@wasock/wa-web';
import { CredsError, openCreds, sealCreds } from './creds-crypto.ts';

const CHECK_SID = 'keycheck';
const CHECK_TEXT = 'wasock credentials key check';

/** WhatsApp credentials of sessions, encrypted at rest with CREDS_KEY. */
export class CredsStore {
  private readonly key: Buffer;
  private readonly sessions: SessionStore;

  constructor(key: Buffer, sessions: SessionStore) {
    this.key = key;
    this.sessions = sessions;
  }

  /**
   * Fails start-up with a clear error when CREDS_KEY is not the key the stored credentials were
   * written with; the first worker ever to start records the check value.
   */
  async verifyKey(redis: RedisLike): Promise<void> {
    const stored = await redis.get(keys.credsKeyCheck());
    if (stored === null) {
      await redis.set(keys.credsKeyCheck(), sealCreds(this.key, CHECK_SID, CHECK_TEXT), 'NX');
      return;
    }
    try {
      openCreds(this.key, CHECK_SID, stored);
    } catch (err) {
      throw new CredsError(
        'creds_key_mismatch',
        'CREDS_KEY does not open the credentials already stored in this Redis; start with the key they were written with',
        { cause: err },
      );
    }
  }

  /** The stored credentials of a session, or null when it has none (a QR scan is needed). */
  async load(sid: string): Promise<WaCredentials | null> {
    const blob = await this.sessions.getCreds(sid);
    return blob === null ? null : parseCredentials(JSON.parse(openCreds(this.key, sid, blob)));
  }

  /** Encrypts and stores a session's credentials. */
  save(sid: string, creds: WaCredentials): Promise<void> {
    return this.sessions.setCreds(sid, sealCreds(this.key, sid, JSON.stringify(creds)));
  }

  /** Forgets a session's credentials. */
  forget(sid: string): Promise<void> {
    return this.sessions.deleteCreds(sid);
  }
}
