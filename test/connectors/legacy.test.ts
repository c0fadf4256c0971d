// The legacy (seed 001) connector against the in-process WhatsApp Web simulator.
import { newClient, startSim, type WaSimServer } from '@wasock/wa-sim';
import type { WaCredentials, WaWebClient } from '@wasock/wa-web';
import { toChatJid } from '../../packages/normalizer/src/index.ts';
import { type ContractHarness, connectorContract } from './contract.ts';

const CONTACT = '593123456789@c.us';
const PHONE = '593987654321@c.us';

connectorContract('legacy (wa-sim)', async (): Promise<ContractHarness> => {
  const sim: WaSimServer = await startSim({ ttlMs: 5000 });
  const extra: WaWebClient[] = [];
  let credentials: WaCredentials | undefined;
  let session = '';

  // What the worker persists: the credentials of each ready event (tokens rotate on login).
  const track = (client: WaWebClient) => {
    client.events.on('ready', (r) => {
      credentials = r.credentials;
    });
    return client;
  };

  return {
    contact: CONTACT,
    fresh: async () => track(newClient(sim)),
    link: async (qr) => {
      session = sim.scan(qr, { wid: PHONE, pushname: 'Albert' }).id;
    },
    restored: async () => {
      if (!credentials) throw new Error('nothing was persisted yet');
      return track(newClient(sim, { credentials }));
    },
    incomingText: async (text) => sim.sendMessage(session, { kind: 'text', from: CONTACT, text }).id,
    relayedText: async (id) => {
      const m = sim.relayed(session).find((r) => r.key.id === id);
      return m && { to: toChatJid(m.key.remoteJid ?? ''), text: m.message?.conversation ?? '' };
    },
    receipt: async (id, level) =>
      sim.sendReceipt(session, { ids: [id], remoteJid: CONTACT, ack: level, via: 'Msg' }),
    dropConnection: async () => sim.injectFault(session, 'drop_socket'),
    replace: async () => {
      // Another browser logs in with the same credentials: the simulator replaces the first.
      const other = newClient(sim, { credentials: credentials! });
      extra.push(other);
      await other.connect();
    },
    unlinkFromPhone: async () => sim.logoutSession(session),
    cleanup: async () => {
      await Promise.all(extra.map((c) => c.close()));
      await sim.close();
    },
  };
});
