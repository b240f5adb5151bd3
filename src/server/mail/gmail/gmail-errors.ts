/**
 * One failure policy for every Gmail call: temporary → retry later; auth → the account needs
 * reconnecting (never retried); permission → the grant lacks the Gmail scope; cursor → the
 * stored historyId is too old, so a full resync.
 */
export type FailureKind = 'temporary' | 'auth' | 'permission' | 'cursor';

export class GmailError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GmailError';
  }
}

export function failureKind(err: unknown): FailureKind {
  return err instanceof GmailError ? err.kind : 'temporary';
}
