export { type BaileysLogger, baileysLogger, DEFAULT_BAILEYS_LOG_LEVEL } from './baileys-logger.ts';
export {
  MultiDeviceConnector,
  type MultiDeviceConnectorOptions,
  type MultiDeviceEvents,
  type MultiDeviceSocket,
  type MultiDeviceWarning,
  type PairingCodeEvent,
  type SocketFactory,
} from './connector.ts';
export { toWebMessageInfo } from './convert.ts';
export { AuthStateError, MultiDeviceError, MultiDeviceMediaError } from './errors.ts';
export { chatJidOf, preferPhoneJid } from './jids.ts';
export {
  downloadMultiDeviceMedia,
  type MultiDeviceDownloadOptions,
  type MultiDeviceMediaRef,
  multiDeviceMediaRef,
} from './media.ts';
export { levelOfStatus, levelOfUserReceipt } from './receipt-levels.ts';
export {
  type DisconnectReasonName,
  RECONNECT_POLICY,
  type ReconnectAction,
  reconnectActionFor,
  statusCodeOf,
} from './reconnect-policy.ts';
export {
  type AuthSealer,
  loadRedisAuthState,
  type MultiDeviceAuth,
  type RedisAuthStateOptions,
  RedisAuthStore,
} from './redis-auth-state.ts';
