export { ProtoError } from './proto-error.ts';
export { WA_MESSAGE_PROTO_PATH } from './schema.ts';
export { decodeWebMessageInfo, encodeWebMessageInfo } from './web-message-codec.ts';
export type {
  AudioMessage,
  ContactMessage,
  ContextInfo,
  DocumentMessage,
  ExtendedTextMessage,
  FutureProofMessage,
  ImageMessage,
  LocationMessage,
  MediaFields,
  Message,
  MessageKey,
  ProtocolMessage,
  StickerMessage,
  VideoMessage,
  WebMessageInfo,
} from './web-message-info.ts';
export { WebMessageInfoStatus } from './web-message-info.ts';
