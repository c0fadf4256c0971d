// The only module that names Redis keys and channels. Every per-session key carries the session
// id as a hash tag `{sid}`, so on Redis Cluster one session's keys (and its Lua script) live in
// one slot.

const PREFIX = 'wasock';

/** Key and channel names of the Redis data model (see DESIGN.md, "Redis data model"). */
export const keys = {
  /** token hash → session id (tokens are never stored in clear). */
  token: (tokenHash: string) => `${PREFIX}:token:${tokenHash}`,
  /** Set of every session id, for listing. */
  sessions: () => `${PREFIX}:sessions`,
  /** Session record (hash): state, label, created, tokenHash. */
  session: (sid: string) => `${PREFIX}:{${sid}}:session`,
  /** The event stream, trimmed to the last N entries. */
  events: (sid: string) => `${PREFIX}:{${sid}}:events`,
  /** Beside the stream: epoch, seq (events ever published), last (newest entry id). */
  streamMeta: (sid: string) => `${PREFIX}:{${sid}}:meta`,
  /** Live channel: each published entry, in the same atomic step as the XADD. */
  live: (sid: string) => `${PREFIX}:{${sid}}:live`,
  /** Worker lease on the session. */
  lease: (sid: string) => `${PREFIX}:{${sid}}:lease`,
  /** Encrypted WhatsApp credentials. */
  creds: (sid: string) => `${PREFIX}:{${sid}}:creds`,
  /** Multi-device auth state (hash): `creds` and one field per Signal key, each sealed with CREDS_KEY. */
  mdAuth: (sid: string) => `${PREFIX}:{${sid}}:md-auth`,
  /** The worker's answer to the latest pairing-code request (JSON: code or error), for minutes. */
  pairing: (sid: string) => `${PREFIX}:{${sid}}:pairing`,
  /** Message ids already published, with a TTL. */
  seen: (sid: string) => `${PREFIX}:{${sid}}:seen`,
  /** Status of an outbound message (hash: state, attempts, createdAt, sentAt, error). */
  outbound: (sid: string, waId: string) => `${PREFIX}:{${sid}}:out:${waId}`,
  /** Idempotency-Key (hashed) of a send → the message id it created. */
  idempotency: (sid: string, keyHash: string) => `${PREFIX}:{${sid}}:idem:${keyHash}`,
  /** Sends of a session in one minute window, for the per-session send rate limit. */
  sendRate: (sid: string, minute: number) => `${PREFIX}:{${sid}}:sendrate:${minute}`,
  /** BullMQ queue name of a session's outbound messages (under `queuePrefix`). */
  sendQueue: (sid: string) => `send-${sid}`,
  /** Channel on which revoked token hashes are announced to every edge. */
  revocations: () => `${PREFIX}:revocations`,
  /** Failed handshakes of one client address in the current window (shared by every edge). */
  authFailures: (address: string) => `${PREFIX}:authfail:${address}`,
  /** Channel of session state changes (`<sid> <state>`), for consoles and CLIs that watch. */
  sessionChanges: () => `${PREFIX}:session-changes`,
  /** Channel of operator commands to the worker running a session (`<sid> logout|restart|pair <phone> <requestId>`). */
  sessionCommands: () => `${PREFIX}:session-commands`,
  /** Sorted set of session workers: member worker id, score last heartbeat (ms). */
  workers: () => `${PREFIX}:workers`,
  /** An encrypted known value: proves at start-up that CREDS_KEY opens the stored credentials. */
  credsKeyCheck: () => `${PREFIX}:creds-keycheck`,
  /** Prefix of the BullMQ queues; hash-tagged so a queue's keys share a Cluster slot. */
  queuePrefix: () => `{${PREFIX}-queues}`,
} as const;

/** Extracts the session id from a live channel name, or null for any other channel. */
export function sidFromLiveChannel(channel: string): string | null {
  const m = /^wasock:\{([^}]+)\}:live$/.exec(channel);
  return m ? (m[1] ?? null) : null;
}
