/** Metric byte of an outgoing binary frame (what the frame is about), from `whatsapp_defines.py`. */
export const WaMetric = {
  debugLog: 1,
  queryResume: 2,
  queryReceipt: 3,
  queryMedia: 4,
  queryChat: 5,
  queryContacts: 6,
  queryMessages: 7,
  presence: 8,
  presenceSubscribe: 9,
  group: 10,
  read: 11,
  chat: 12,
  received: 13,
  pic: 14,
  status: 15,
  message: 16,
  queryActions: 17,
  block: 18,
  queryGroup: 19,
  queryPreview: 20,
  queryEmoji: 21,
  queryMessageInfo: 22,
  spam: 23,
  querySearch: 24,
  queryIdentity: 25,
  queryUrl: 26,
  profile: 27,
  contact: 28,
  queryVcard: 29,
  queryStatus: 30,
  queryStatusUpdate: 31,
  queryQuickReplies: 39,
  queryLabels: 36,
} as const;

/** Flag byte of an outgoing binary frame; bits from `whatsapp_defines.py` (`WAFlags`). */
export const WaFlag = {
  ignore: 1 << 7,
  ackRequest: 1 << 6,
  available: 1 << 5,
  notAvailable: 1 << 4,
  expires: 1 << 3,
  skipOffline: 1 << 2,
} as const;

/** The protocol version and browser triple `admin init` announces (seed 001's example). */
export const DEFAULT_WA_VERSION: readonly [number, number, number] = [2, 2017, 6];
export const DEFAULT_BROWSER: readonly [string, string, string] = ['Linux', 'Chrome', 'x86_64'];
