import type { AuthLookup } from '@wasock/store';

// A reconnect storm brings thousands of handshakes within a few event-loop turns, and each would
// send its own round trip: one write to Redis, commands with their timers and a pipeline object
// per client. The handshakes of one turn are looked up together instead (AuthStore.lookupMany:
// one MGET, or per-handshake lookups on Cluster).

/** What one handshake asks. */
export interface AuthRequest {
  tokenHash: string;
  address: string;
}

interface Waiting extends AuthRequest {
  resolve: (lookup: AuthLookup) => void;
  reject: (err: unknown) => void;
}

/** Most handshakes in one lookup: a bigger batch would hold Redis for one long reply. */
const MAX_BATCH = 1000;

/** Handshake lookups (session of a token hash, failures of an address), batched per turn. */
export class AuthBatch {
  private readonly lookupMany: (requests: AuthRequest[]) => Promise<AuthLookup[]>;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(lookupMany: (requests: AuthRequest[]) => Promise<AuthLookup[]>) {
    this.lookupMany = lookupMany;
  }

  /** Reads the session of a token hash and the failures of an address, with the turn's others. */
  lookup(tokenHash: string, address: string): Promise<AuthLookup> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ tokenHash, address, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.send);
      }
    });
  }

  private readonly send = (): void => {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) void this.lookupBatch(all.slice(i, i + MAX_BATCH));
  };

  private async lookupBatch(batch: Waiting[]): Promise<void> {
    let results: AuthLookup[];
    try {
      results = await this.lookupMany(batch);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      w.resolve(results[i] as AuthLookup);
    });
  }
}
