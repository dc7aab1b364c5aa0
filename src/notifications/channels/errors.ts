/** A failure that retrying will not fix (invalid number, rejected address, bad credentials). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** A failure worth retrying later (connection refused, throttling, 5xx). */
export class TransientDeliveryError extends Error {
  override name = 'TransientDeliveryError';
}

export interface Delivered {
  /** The provider's id of the message, when it gives one. */
  providerMessageId: string | null;
}
