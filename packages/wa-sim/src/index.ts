export { CliArgs, parseCliArgs, USAGE } from './cli-args.ts';
export { createControlHandler } from './control-api.ts';
export { type RelayedMessage, type SentMessage, WaSimControl, WaSimControlError } from './control-client.ts';
export { FaultBody, MessageBody, ReceiptBody, ScanBody } from './control-schemas.ts';
export { bytesAsBase64 } from './json-bytes.ts';
export {
  type BuiltMessage,
  buildScriptedMessage,
  type ScriptedKind,
  type ScriptedMessage,
} from './scripted-messages.ts';
export {
  ACK_LEVELS,
  type AckName,
  type FaultKind,
  type ReceiptVia,
  type SessionSummary,
  SimError,
  type SimStats,
  type WaSimOptions,
  WaSimServer,
} from './sim-server.ts';
export {
  FAST as FAST_CLIENT_OPTIONS,
  newClient,
  nextEvent,
  pairedClient,
  startSim,
  until,
} from './testing.ts';
