import type { IConversionOptions } from 'protobufjs';
import { ProtoError } from './proto-error.ts';
import { webMessageInfoType } from './schema.ts';
import type { WebMessageInfo } from './web-message-info.ts';

// Longs as numbers (timestamps and byte counts fit in 2^53), enums as numbers, bytes left as
// byte arrays, and no proto defaults: a field is present only when it was on the wire.
const TO_OBJECT: IConversionOptions = { longs: Number, enums: Number, defaults: false, arrays: false };

/** Encodes a WebMessageInfo to protobuf bytes; throws ProtoError when a field has the wrong type. */
export function encodeWebMessageInfo(info: WebMessageInfo): Uint8Array {
  return safely(() => {
    const type = webMessageInfoType();
    const plain = info as unknown as Record<string, unknown>;
    // fromObject alone would coerce wrong types silently (a number into a string field).
    const problem = type.verify(plain);
    if (problem) throw new ProtoError(`cannot encode WebMessageInfo: ${problem}`);
    return type.encode(type.fromObject(plain)).finish();
  });
}

/** Decodes WebMessageInfo bytes; throws ProtoError (and nothing else) when they are not one. */
export function decodeWebMessageInfo(bytes: Uint8Array): WebMessageInfo {
  if (!(bytes instanceof Uint8Array)) throw new ProtoError('WebMessageInfo bytes must be a Uint8Array');
  // A private copy: protobufjs hands out `bytes` fields as views of its input buffer, and the
  // caller may reuse that buffer.
  const own = new Uint8Array(bytes);
  return safely(() => {
    const type = webMessageInfoType();
    return type.toObject(type.decode(own), TO_OBJECT) as WebMessageInfo;
  });
}

function safely<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ProtoError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProtoError(`invalid WebMessageInfo: ${reason}`, { cause: err });
  }
}
