export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
export { decodeBinaryNode } from './binary-decoder.ts';
export { type EncodeOptions, encodeBinaryNode } from './binary-encoder.ts';
export { type BinaryContent, type BinaryNode, BinaryTag } from './binary-tags.ts';
export {
  type SendResult,
  type WarningEvent,
  WaWebClient,
  type WaWebClientEvents,
  type WaWebClientOptions,
  type WaWebCounters,
} from './client.ts';
export {
  type ConnectionState,
  type Connector,
  type ConnectorEvents,
  type MediaUploadInfo,
  type MessageEvent,
  type QrEvent,
  type ReadyEvent,
  type StateChange,
  TERMINAL_STATES,
  type UploadedMedia,
} from './connector.ts';
export { parseCredentials, qrString, type WaCredentials, WaCredentialsSchema } from './credentials.ts';
export {
  generateKeyPair,
  hkdf,
  hmacSha256,
  type KeyPair,
  keyPairFromPrivate,
  x25519,
} from './crypto-primitives.ts';
export {
  BadMacError,
  CodecError,
  ConnectionClosedError,
  CryptoError,
  ProtocolError,
  RequestTimeoutError,
  WaWebError,
} from './errors.ts';
export {
  encodeBinaryFrame,
  encodePong,
  encodeTextFrame,
  type Frame,
  KEEPALIVE_PING,
  parseBinaryFrame,
  parseFrame,
  parseTextFrame,
} from './frame.ts';
export {
  decryptFramePayload,
  encryptClientPayload,
  encryptFramePayload,
  splitClientPayload,
} from './frame-crypto.ts';
export { type ChatInfo, type ContactInfo, type InboundItem, interpretNode } from './inbound.ts';
export { toChatJid, toWireJid } from './jid.ts';
export {
  CONN_SECRET_LENGTH,
  createConnSecret,
  deriveLoginKeys,
  type LoginDerivation,
  randomSessionKeys,
  type SessionKeys,
  signChallenge,
} from './login-crypto.ts';
export {
  decryptMedia,
  type EncryptedMedia,
  encryptMedia,
  expandMediaKey,
  MEDIA_HKDF_INFO,
  type MediaHashes,
  type MediaKeys,
  type MediaType,
  sha256,
} from './media-crypto.ts';
export { type DownloadOptions, downloadMedia, type MediaRef, mediaOf } from './media-download.ts';
export { createTagGenerator, newMessageId } from './message-tag.ts';
export { PendingRequests } from './pending-requests.ts';
export {
  type Cmd,
  CmdSchema,
  type Conn,
  ConnSchema,
  type InitResponse,
  InitResponseSchema,
  type MsgAck,
  MsgAckSchema,
  type StatusResponse,
  StatusResponseSchema,
} from './protocol-messages.ts';
export { type AckLevel, type Receipt, receiptFromMsg, receiptFromNode } from './receipts.ts';
export { StartSignal } from './start-signal.ts';
export { SINGLE_BYTE_TOKENS, tokenAt, tokenIndex } from './token-dictionary.ts';
export { TypedEmitter } from './typed-emitter.ts';
export {
  type AudioMessage,
  type ContextInfo,
  type DocumentMessage,
  decodeWebMessageInfo,
  encodeWebMessageInfo,
  type ImageMessage,
  type MediaFields,
  type Message,
  type MessageKey,
  type StickerMessage,
  type VideoMessage,
  type WebMessage,
  type WebMessageInfo,
} from './web-message.ts';
export { DEFAULT_BROWSER, DEFAULT_WA_VERSION, WaFlag, WaMetric } from './wire-constants.ts';
