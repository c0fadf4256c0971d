import {
  decodeWebMessageInfo as decodeProto,
  encodeWebMessageInfo as encodeProto,
  type Message,
  ProtoError,
  type WebMessageInfo,
} from '@wasock/wa-proto';
import { CodecError } from './errors.ts';

export type {
  AudioMessage,
  ContextInfo,
  DocumentMessage,
  ImageMessage,
  MediaFields,
  Message,
  MessageKey,
  StickerMessage,
  VideoMessage,
  WebMessageInfo,
} from '@wasock/wa-proto';

/** The content of a message (`Message` of WAMessage.proto); the name the client API uses. */
export type WebMessage = Message;

/** Decodes WebMessageInfo bytes (via @wasock/wa-proto); throws only CodecError for bad bytes. */
export function decodeWebMessageInfo(bytes: Uint8Array): WebMessageInfo {
  try {
    return decodeProto(bytes);
  } catch (err) {
    if (err instanceof ProtoError) throw new CodecError(err.message, { cause: err });
    throw err;
  }
}

/** Encodes a WebMessageInfo (via @wasock/wa-proto); throws CodecError for a malformed object. */
export function encodeWebMessageInfo(info: WebMessageInfo): Uint8Array {
  try {
    return encodeProto(info);
  } catch (err) {
    if (err instanceof ProtoError) throw new CodecError(err.message, { cause: err });
    throw err;
  }
}
