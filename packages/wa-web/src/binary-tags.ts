/** Tag bytes of the binary node format (values from the reference sources). */
export const BinaryTag = {
  LIST_EMPTY: 0,
  STREAM_END: 2,
  DICTIONARY_0: 236,
  DICTIONARY_1: 237,
  DICTIONARY_2: 238,
  DICTIONARY_3: 239,
  LIST_8: 248,
  LIST_16: 249,
  JID_PAIR: 250,
  HEX_8: 251,
  BINARY_8: 252,
  BINARY_20: 253,
  BINARY_32: 254,
  NIBBLE_8: 255,
} as const;

/** Largest string a NIBBLE_8/HEX_8 can carry: 127 bytes of two characters each. */
export const PACKED_MAX = 254;

/** A node: description, attributes, and content (none, child nodes, a string or bytes). */
export type BinaryNode = [description: string, attributes: Record<string, string>, content: BinaryContent];

/** What a node can carry after its attributes. */
export type BinaryContent = BinaryNode[] | string | Uint8Array | null;
