import { DisconnectReason } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import {
  type DisconnectReasonName,
  RECONNECT_POLICY,
  type ReconnectAction,
  reconnectActionFor,
  statusCodeOf,
} from './reconnect-policy.ts';

const backoff: ReconnectAction = { kind: 'reconnect', immediate: false };

// The decision for every reason Baileys names, written out: changing the policy means changing
// this table on purpose.
const EXPECTED: Record<DisconnectReasonName, ReconnectAction> = {
  loggedOut: { kind: 'logged_out' },
  forbidden: { kind: 'logged_out' },
  multideviceMismatch: { kind: 'logged_out' },
  connectionReplaced: { kind: 'replaced' },
  restartRequired: { kind: 'reconnect', immediate: true },
  connectionClosed: backoff,
  connectionLost: backoff,
  timedOut: backoff,
  unavailableService: backoff,
  badSession: backoff,
};

const reasonNames = Object.keys(DisconnectReason).filter(
  (k) => !/^[0-9]+$/.test(k),
) as DisconnectReasonName[];

describe('reconnect policy', () => {
  it('decides every DisconnectReason Baileys defines, and nothing else', () => {
    expect(Object.keys(RECONNECT_POLICY).sort()).toEqual([...reasonNames].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...reasonNames].sort());
  });

  it.each(reasonNames)('%s → the table action, by status code', (name) => {
    expect(RECONNECT_POLICY[name]).toEqual(EXPECTED[name]);
    expect(reconnectActionFor(DisconnectReason[name])).toEqual(EXPECTED[name]);
  });

  it('agrees where two reasons share a code (connectionLost and timedOut are both 408)', () => {
    expect(DisconnectReason.connectionLost).toBe(DisconnectReason.timedOut);
    expect(RECONNECT_POLICY.connectionLost).toEqual(RECONNECT_POLICY.timedOut);
  });

  it('reconnects with backoff after an unknown code or an error without one', () => {
    expect(reconnectActionFor(599)).toEqual(backoff);
    expect(reconnectActionFor(undefined)).toEqual(backoff);
  });

  it('reads the status code of a Boom-shaped error only', () => {
    expect(statusCodeOf({ output: { statusCode: 401 } })).toBe(401);
    expect(statusCodeOf(new Error('socket hang up'))).toBeUndefined();
    expect(statusCodeOf({ output: { statusCode: '401' } })).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
  });
});
