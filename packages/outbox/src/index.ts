export { SendRateLimitedError } from './errors.ts';
export { OutboundStatus } from './outbound-status.ts';
export { type Enqueued, Outbox, type OutboxOptions } from './outbox.ts';
export { newWaMessageId, outboundMessageId, type SendJob } from './send-job.ts';
