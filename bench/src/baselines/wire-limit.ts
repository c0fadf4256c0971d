// Wire-limit baseline: a plain node:net server that writes pre-serialized lines to its clients.
// No Redis, no parsing beyond finding the token's newline, no per-event work but the writes:
// the ceiling this machine puts on any gateway written in Node. Mode `line` writes each line
// on its own (one write per event per socket); mode `coalesced` writes what a turn produced in
// one write per socket, as the edge's write batcher does.

import { createServer, type Socket } from 'node:net';
import { benchLine } from '../event-shape.ts';
import { serve } from '../ipc.ts';
import { type Emitter, type FloodArgs, flood, paced, type RateArgs } from '../pacing.ts';
import type { TokenRef } from '../tokens.ts';

export type WireMode = 'line' | 'coalesced';

interface Slot {
  token: string;
  /** The last 50 lines, pre-serialized: the replay. */
  stored: string[];
  clients: Set<Socket>;
}

const REPLAY = 50;
let mode: WireMode = 'line';
const slots: Slot[] = [];
const byToken = new Map<string, Slot>();
const queued = new Map<Socket, string>();
let received = 0;

function admit(socket: Socket): void {
  let head = '';
  const onData = (chunk: string) => {
    head += chunk;
    const nl = head.indexOf('\n');
    if (nl < 0) {
      if (head.length > 1024) socket.destroy();
      return;
    }
    socket.off('data', onData);
    const slot = byToken.get(head.slice(0, nl).trim());
    if (!slot) {
      socket.end('{"content":"error","code":"unauthorized","message":"unknown token"}\n');
      return;
    }
    if (slot.stored.length > 0) socket.write(slot.stored.join(''));
    slot.clients.add(socket);
    socket.once('close', () => slot.clients.delete(socket));
    // Clients never send more; reading keeps the socket flowing and its close noticed.
    socket.resume();
  };
  socket.setEncoding('latin1');
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

function store(slot: Slot, line: string): void {
  slot.stored.push(line);
  if (slot.stored.length > REPLAY) slot.stored.shift();
}

const emitter: Emitter = {
  emit(index, seq, pubMs) {
    const slot = slots[index] as Slot;
    const line = benchLine(slot.token, seq, pubMs);
    store(slot, line);
    if (mode === 'line') {
      for (const s of slot.clients) s.write(line);
    } else {
      for (const s of slot.clients) queued.set(s, (queued.get(s) ?? '') + line);
    }
    return undefined;
  },
  endTurn() {
    if (queued.size === 0) return;
    for (const [s, data] of queued) s.write(data);
    queued.clear();
  },
};

const server = createServer(admit);

serve(
  {
    listen(a: { mode: WireMode }): Promise<{ port: number }> {
      mode = a.mode;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const addr = server.address();
          resolve({ port: typeof addr === 'object' && addr ? addr.port : 0 });
        });
      });
    },
    prepare(a: { tokens: TokenRef[]; fill: number }): void {
      for (const t of a.tokens) {
        const slot: Slot = { token: t.token, stored: [], clients: new Set() };
        for (let i = 0; i < a.fill; i++) store(slot, benchLine(t.token, i, 0));
        slots.push(slot);
        byToken.set(t.token, slot);
      }
    },
    flood(a: FloodArgs) {
      received = 0;
      return flood(emitter, a, () => received);
    },
    rate(a: RateArgs) {
      return paced(emitter, a);
    },
    close(): void {
      server.close();
    },
  },
  (name, data) => {
    if (name === 'received') received = (data as { lines: number }).lines;
  },
);
