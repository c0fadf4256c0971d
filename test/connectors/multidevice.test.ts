// The multi-device connector against events built with Baileys' own proto types and fed through
// Baileys' real event buffer (FakeWhatsApp), with its auth state in Redis, sealed with CREDS_KEY
// exactly as the worker seals it.
import { randomBytes } from 'node:crypto';
import { connectRedis, newSessionId, type Redis } from '@wasock/store';
import { sharedTestRedis } from '@wasock/testkit';
import { afterAll, beforeAll } from 'vitest';
import { openCreds, sealCreds } from '../../apps/session-worker/src/creds-crypto.ts';
import {
  type AuthSealer,
  chatJidOf,
  loadRedisAuthState,
  MultiDeviceConnector,
} from '../../packages/wa-md/src/index.ts';
import {
  DisconnectReason,
  FakeWhatsApp,
  proto,
  silentLogger,
  textMessage,
} from '../../packages/wa-md/src/testing.ts';
import { type ContractHarness, connectorContract } from './contract.ts';

const CONTACT = '593123456789@c.us';
const CONTACT_WIRE = '593123456789@s.whatsapp.net';
const FAST = { initialMs: 20, maxMs: 200, factor: 2, jitter: 0 };

let redis: Redis;
const key = randomBytes(32);
const sealer: AuthSealer = {
  seal: (context, plain) => sealCreds(key, context, plain),
  open: (context, blob) => openCreds(key, context, blob),
};

beforeAll(async () => {
  redis = connectRedis((await sharedTestRedis()).url, { name: 'test-md-contract' });
});
afterAll(() => redis.disconnect());

connectorContract('multidevice (Baileys events)', async (): Promise<ContractHarness> => {
  const wa = new FakeWhatsApp();
  const sid = newSessionId();
  let next = 0;
  const connector = async () =>
    new MultiDeviceConnector({
      auth: await loadRedisAuthState({ redis, sid, sealer }),
      logger: silentLogger,
      makeSocket: wa.factory,
      backoff: FAST,
    });
  const S = proto.WebMessageInfo.Status;
  return {
    contact: CONTACT,
    fresh: connector,
    link: async () => wa.current.pair(),
    restored: connector,
    incomingText: async (text) => {
      const id = `3EB0${(next++).toString(16).padStart(8, '0').toUpperCase()}`;
      wa.current.upsert([textMessage(id, CONTACT_WIRE, text)]);
      return id;
    },
    relayedText: async (id) => {
      const m = wa.sockets.flatMap((s) => s.relayed).find((r) => r.messageId === id);
      return m && { to: chatJidOf(m.jid), text: m.message.conversation ?? '' };
    },
    receipt: async (id, level) =>
      wa.current.updates([
        {
          key: { remoteJid: CONTACT_WIRE, fromMe: true, id },
          update: { status: level === 'delivered' ? S.DELIVERY_ACK : S.READ },
        },
      ]),
    dropConnection: async () => wa.current.close(DisconnectReason.connectionLost, 'Connection was lost'),
    replace: async () => wa.current.close(DisconnectReason.connectionReplaced, 'Stream Errored (conflict)'),
    unlinkFromPhone: async () => wa.unlink(),
    cleanup: async () => undefined,
  };
});
