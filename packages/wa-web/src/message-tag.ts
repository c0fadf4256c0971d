/**
 * Message tags, unique per connection: `<seconds>.--<counter>` as WhatsApp Web writes them
 * (seed 001: "WhatsApp itself often uses tags like 1234.--0").
 */
export function createTagGenerator(now: () => number = Date.now): () => string {
  const base = Math.floor(now() / 1000);
  let counter = 0;
  return () => `${base}.--${counter++}`;
}

/** A WhatsApp Web message id: `3EB0` and 16 upper-case hex digits. */
export function newMessageId(random: (n: number) => Uint8Array): string {
  return `3EB0${Buffer.from(random(8)).toString('hex').toUpperCase()}`;
}
