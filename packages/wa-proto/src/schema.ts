import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** Absolute path of the `.proto` file the codec is built from. */
export const WA_MESSAGE_PROTO_PATH = fileURLToPath(new URL('../proto/WAMessage.proto', import.meta.url));

let cached: protobuf.Type | undefined;

/** The `waproto.WebMessageInfo` type, parsed from the `.proto` file on first use. */
export function webMessageInfoType(): protobuf.Type {
  // Parsed lazily so importing the package costs nothing until a message is coded.
  cached ??= protobuf.loadSync(WA_MESSAGE_PROTO_PATH).lookupType('waproto.WebMessageInfo');
  return cached;
}
