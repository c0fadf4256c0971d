import { DisconnectReason } from '@whiskeysockets/baileys';

/**
 * What the connector does after Baileys closes a socket:
 * - `reconnect`: open a new socket, at once (`immediate`, the server asked for a restart) or
 *   after the backoff delay;
 * - `logged_out`: the stored credentials are worthless; stop, forget them, no retry (a person
 *   links the account again);
 * - `replaced`: another client runs this session now; stop and do not fight it.
 */
export type ReconnectAction =
  | { kind: 'reconnect'; immediate: boolean }
  | { kind: 'logged_out' }
  | { kind: 'replaced' };

/** Every reason Baileys names, by name. */
export type DisconnectReasonName = Exclude<keyof typeof DisconnectReason, `${number}`>;

const BACKOFF: ReconnectAction = { kind: 'reconnect', immediate: false };

/**
 * The policy, one row per reason Baileys names. The table test fails when a Baileys upgrade adds
 * a reason, so a new one is decided here instead of falling into the default by accident.
 */
export const RECONNECT_POLICY: Readonly<Record<DisconnectReasonName, ReconnectAction>> = {
  // The phone removed this device, or Baileys' own logout(): a new link is needed.
  loggedOut: { kind: 'logged_out' },
  // WhatsApp refuses the account or device (ban, removed companion); retrying only repeats it.
  forbidden: { kind: 'logged_out' },
  // The account cannot use multi-device (`downgrade_webclient`); no retry will change that.
  multideviceMismatch: { kind: 'logged_out' },
  connectionReplaced: { kind: 'replaced' },
  // Sent right after a QR or pairing-code link: the server wants a fresh login at once.
  restartRequired: { kind: 'reconnect', immediate: true },
  connectionClosed: BACKOFF,
  connectionLost: BACKOFF,
  timedOut: BACKOFF,
  unavailableService: BACKOFF,
  // Baileys also uses 500 for a `failure` node without a reason; dropping the credentials on a
  // server hiccup would force a person to link again, so it is retried (bounded attempts).
  badSession: BACKOFF,
};

/**
 * The action for a close with this status code (Baileys' `lastDisconnect.error.output.statusCode`);
 * unknown codes and closes without one (network errors) reconnect with backoff.
 */
export function reconnectActionFor(statusCode: number | undefined): ReconnectAction {
  if (statusCode === undefined) return BACKOFF;
  for (const [name, action] of Object.entries(RECONNECT_POLICY)) {
    if (DisconnectReason[name as DisconnectReasonName] === statusCode) return action;
  }
  return BACKOFF;
}

/** The status code of the error Baileys closed a socket with, if it carries one (a Boom). */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const output = (error as { output?: { statusCode?: unknown } }).output;
  const code = output?.statusCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}
