export { type AuthLookup, AuthStore } from './auth-lookup.ts';
export { type DedupeKey, dedupe } from './dedupe.ts';
export { formatEventId, newEpoch, parseEventId } from './epoch.ts';
export { StoreError } from './errors.ts';
export { keys, sidFromLiveChannel } from './keys.ts';
export { LeaseStore } from './lease-store.ts';
export { decodeLiveEntry, encodeLiveEntry, type LiveEntry } from './live-message.ts';
export { PairingStore } from './pairing-store.ts';
export {
  DEFAULT_DEDUPE_TTL_MS,
  DEFAULT_STREAM_MAXLEN,
  type Published,
  StreamPublisher,
} from './publisher.ts';
export {
  type Cluster,
  type ClusterSeed,
  type ConnectOptions,
  connectCluster,
  connectRedis,
  duplicateAs,
  isCluster,
  openRedis,
  type Redis,
  type RedisLike,
  type RedisTarget,
} from './redis.ts';
export {
  CONNECTOR_KINDS,
  type ConnectorKind,
  isConnectorKind,
  type SessionCommand,
  type SessionRecord,
  SessionStore,
} from './session-store.ts';
export { compareStreamIds, streamIdTime } from './stream-id.ts';
export { readAfter, readLatest, type StreamSnapshot } from './stream-reader.ts';
export { hashToken, newSessionId, newToken, TokenStore } from './token-store.ts';
