/** Bytes that are not a WebMessageInfo, or an object that cannot be encoded as one. */
export class ProtoError extends Error {
  readonly code = 'proto_error';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProtoError';
  }
}
