import { randomBytes } from 'node:crypto';
import type { WaSimControl } from '../packages/wa-sim/src/index.ts';

// What the simulated contacts do in the demo: every few seconds one of text (accents and emoji),
// a voice note, an image, a quoted reply, or a message "we" sent followed by its receipts. Every
// kind shows up within the first 20 seconds.

const CONTACT = '593123456789@c.us';
const TEXTS = [
  'Hola, ¿cómo estás?',
  'Buenos días ☀️',
  '¿Llegó el pedido? 📦',
  'Gracias, ¡excelente servicio!',
];

/** Drives the simulator on a timer until stopped. */
export class DemoTraffic {
  private readonly control: WaSimControl;
  private readonly session: string;
  private timer: NodeJS.Timeout | undefined;
  private step = 0;

  constructor(control: WaSimControl, session: string) {
    this.control = control;
    this.session = session;
  }

  start(intervalMs = 3000): void {
    const tick = () => {
      this.next().catch((err: unknown) => console.error(`demo traffic: ${(err as Error).message}`));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async next(): Promise<void> {
    const session = this.session;
    const from = CONTACT;
    const i = this.step++;
    switch (i % 5) {
      case 0:
        await this.control.sendMessage({ session, kind: 'text', from, text: TEXTS[i % TEXTS.length] });
        break;
      case 1:
        await this.control.sendMessage({
          session,
          kind: 'ptt',
          from,
          data: randomBytes(4096).toString('base64'),
          mimetype: 'audio/ogg; codecs=opus',
        });
        break;
      case 2: {
        const mine = await this.control.sendMessage({
          session,
          kind: 'text',
          from,
          fromMe: true,
          text: 'Su pedido salió hoy 🚚',
        });
        await this.control.sendReceipt({ session, ids: [mine.id], remoteJid: from, ack: 'delivered' });
        setTimeout(() => {
          this.control
            .sendReceipt({ session, ids: [mine.id], remoteJid: from, ack: 'read' })
            .catch((err: unknown) => console.error(`demo traffic: ${(err as Error).message}`));
        }, 1000);
        break;
      }
      case 3:
        await this.control.sendMessage({
          session,
          kind: 'image',
          from,
          caption: 'Foto del producto',
          size: 20_000,
          mimetype: 'image/jpeg',
        });
        break;
      default:
        await this.control.sendMessage({
          session,
          kind: 'quoted',
          from,
          text: '¡Perfecto!',
          quoted: { id: 'DEMO1', text: TEXTS[0] as string },
        });
    }
  }
}
