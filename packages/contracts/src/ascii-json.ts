// Seed clients decode each 1024-byte read on its own; a UTF-8 character split across two reads
// breaks them. Escaping everything outside ASCII as \uXXXX (emoji become surrogate pairs) keeps
// every byte a whole character, and it is still the same JSON to any parser.
const NON_ASCII = /[\u007f-\uffff]/g;
const HAS_NON_ASCII = /[\u007f-\uffff]/;

function unicodeEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `JSON.stringify` whose output is pure ASCII. */
export function toAsciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  return HAS_NON_ASCII.test(json) ? json.replace(NON_ASCII, unicodeEscape) : json;
}
