// A delivery error that no retry can fix (an invalid phone number, a deleted endpoint, a 4xx
// answer): the row is marked failed at once instead of burning its remaining attempts.
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}
