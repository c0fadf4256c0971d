export {
  AdminError,
  AdminEvent,
  AdminInfo,
  AdminSession,
  CommandAccepted,
  ConnectorKind,
  CreatedSession,
  CreateSessionBody,
  EventList,
  EventsQuery,
  LiveClientMessage,
  LiveServerMessage,
  SessionLabel,
  SessionList,
  SessionParams,
  TokenRevoked,
} from './admin.ts';
export { toAsciiJson } from './ascii-json.ts';
export { WasockError } from './errors.ts';
export {
  AckEvent,
  AckLevel,
  MediaEvent,
  MessageEvent,
  parseEvent,
  StoredEvent,
  WireEvent,
} from './events.ts';
export {
  PairingCode,
  PairingCodeRequest,
  PairingOutcome,
  PairingRequestId,
  PhoneNumber,
} from './pairing.ts';
export {
  ChatJid,
  OutboundMedia,
  SeedMessageId,
  SendAccepted,
  SendRequest,
  SendState,
  SendStatus,
} from './send.ts';
export { SessionId, SessionState } from './session.ts';
export { ErrorCode, ErrorLine, EventId, Hello, ResumeNotice, ResumeStatus } from './wire.ts';
