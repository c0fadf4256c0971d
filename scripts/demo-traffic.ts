// Seed 000 shaped demo events for `npm start`, cycling through every kind the gateway emits:
// text with accents and emoji, a quoted reply, a voice note with its media event, and acks.

const me = '593987654321@c.us';
const contact = '593123456789@c.us';
const bodies = [
  'Hola, ¿cómo estás?',
  'Buenos días ☀️',
  '¿Llegó el pedido? 📦',
  'Gracias, ¡excelente servicio!',
];

/** An endless generator of demo events (stored form, without `number`). */
export function* demoEvents(): Generator<Record<string, unknown>, never> {
  for (let i = 1; ; i++) {
    const id = `DEMO${String(i).padStart(8, '0')}`;
    const messageId = `false_${contact}_${id}`;
    const base = {
      messageId,
      from: contact,
      to: me,
      fromMe: false,
      timestamp: Math.floor(Date.now() / 1000),
    };
    switch (i % 4) {
      case 1:
        yield {
          content: 'message',
          ...base,
          body: bodies[i % bodies.length],
          type: 'chat',
          quotedMessage: null,
          hasMedia: false,
          hasQuoteMsg: false,
        };
        break;
      case 2:
        yield {
          content: 'message',
          ...base,
          body: '¡Claro que sí!',
          type: 'chat',
          quotedMessage: bodies[0],
          hasMedia: false,
          hasQuoteMsg: true,
        };
        break;
      case 3:
        yield {
          content: 'message',
          ...base,
          body: '',
          type: 'ptt',
          quotedMessage: null,
          hasMedia: true,
          hasQuoteMsg: false,
        };
        yield {
          content: 'media',
          mediaKey: 'XZ7ICZsETL7H/PARAq/+4ETotAbW4wEXeAT7+cDZ4M4=',
          mediaData: `http://127.0.0.1/assets/buffer/${id.toLowerCase()}.ogg`,
          mimeType: 'audio/ogg; codecs=opus',
          fileName: 'audio.ogg',
        };
        break;
      default:
        yield { content: 'ack', messageId: `true_${contact}_SENT${String(i).padStart(6, '0')}`, ack: 1 };
        yield { content: 'ack', messageId: `true_${contact}_SENT${String(i).padStart(6, '0')}`, ack: 2 };
    }
  }
}
