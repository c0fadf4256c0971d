export { isWaAckLevel, nextAck, SeedAck, toSeedAckLevel, type WaAckLevel } from './ack-levels.ts';
export { type AckLevelStore, AckTracker, trackReceipt } from './ack-tracker.ts';
export { toChatJid } from './jid.ts';
export { type MediaDescriptor, type MediaKeyType, mediaDescriptorOf } from './media-descriptor.ts';
export { extensionFor, mediaFileName } from './media-file-name.ts';
export { describeContent, type MessageContent, type MessageType, unwrap } from './message-content.ts';
export { type MessageRef, messageIdOf } from './message-id.ts';
export { type NormalizeContext, type NormalizedMessage, normalizeMessage } from './message-normalizer.ts';
export { type Receipt, receiptFromNode, receiptsFromTextFrame } from './receipt.ts';
