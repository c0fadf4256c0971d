import { connectRedis, type Redis, StreamPublisher, TokenStore } from '@wasock/store';

/** A seed 000 text message whose messageId carries `i`, for order checks. */
export function textEvent(i: number, body = `mensaje ${i}`) {
  return {
    content: 'message' as const,
    messageId: `false_593123456789@c.us_${String(i).padStart(8, '0')}`,
    from: '593123456789@c.us',
    to: '593987654321@c.us',
    fromMe: false,
    body,
    type: 'chat',
    timestamp: 1719598097 + i,
    quotedMessage: null,
    hasMedia: false,
    hasQuoteMsg: false,
  };
}

/** The `i` a text event was made with. */
export function indexOf(event: Record<string, unknown>): number {
  return Number(String(event.messageId).split('_').pop());
}

/** Redis helpers of a test: tokens and a publisher on one connection. */
export class Gateway {
  readonly redis: Redis;
  readonly tokens: TokenStore;
  readonly publisher: StreamPublisher;

  constructor(redisUrl: string) {
    this.redis = connectRedis(redisUrl, { name: 'wasock-test' });
    // Tests restart Redis under this connection; it reconnects by itself.
    this.redis.on('error', () => undefined);
    this.tokens = new TokenStore(this.redis);
    this.publisher = new StreamPublisher(this.redis);
  }

  /** Creates a token and returns it with its session id. */
  createToken(label = 'test'): Promise<{ token: string; sid: string }> {
    return this.tokens.create({ label });
  }

  /** Publishes text events `from..to` to a session, one after the other. */
  async publishRange(sid: string, from: number, to: number, body?: (i: number) => string): Promise<void> {
    for (let i = from; i <= to; i++) await this.publisher.publish(sid, textEvent(i, body?.(i)));
  }

  close(): void {
    this.redis.disconnect();
  }
}
