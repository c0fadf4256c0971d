/** The longest text the event schemas accept for `body` and `quotedMessage`. */
export const MAX_TEXT = 65_536;

/** Cuts `text` to `max` UTF-16 units without splitting a surrogate pair. */
export function clip(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  // A high surrogate at the cut would be left without its low half.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
