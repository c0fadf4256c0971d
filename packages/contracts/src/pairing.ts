import { z } from 'zod';

// Linking by phone number: instead of scanning a QR, the operator asks for a code for the
// account's phone number and types it on that phone (WhatsApp → Linked devices → Link with phone
// number instead). Only the multi-device connector can; WhatsApp accepts the code on that phone only.

/** A phone number with country code; spaces, `+`, `-` and parentheses are dropped. */
export const PhoneNumber = z
  .string()
  .max(32)
  .transform((s) => s.replace(/[\s+()-]/g, ''))
  .pipe(z.string().regex(/^[0-9]{6,15}$/, 'a phone number with country code: 6 to 15 digits'));
export type PhoneNumber = z.infer<typeof PhoneNumber>;

/** `POST /sessions/:sid/pairing-code`. */
export const PairingCodeRequest = z.strictObject({ phoneNumber: PhoneNumber });
export type PairingCodeRequest = z.infer<typeof PairingCodeRequest>;

/** The code WhatsApp issued: 8 letters and digits, typed on the phone. */
export const PairingCode = z.object({
  code: z.string().regex(/^[0-9A-Z]{8}$/, 'an 8-character pairing code'),
  phoneNumber: z.string(),
});
export type PairingCode = z.infer<typeof PairingCode>;

/** Names one request, so an answer is never taken for another request's. */
export const PairingRequestId = z.string().regex(/^[0-9a-f]{16}$/, 'a pairing request id');

/** What the worker running the session answered to a pairing request (kept briefly in Redis). */
export const PairingOutcome = z.union([
  PairingCode.extend({ requestId: PairingRequestId }),
  z.object({
    requestId: PairingRequestId,
    phoneNumber: z.string(),
    error: z.object({ code: z.string().max(64), message: z.string().max(1024) }),
  }),
]);
export type PairingOutcome = z.infer<typeof PairingOutcome>;
