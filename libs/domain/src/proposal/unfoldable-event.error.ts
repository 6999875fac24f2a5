/** An event that cannot be folded into the state it meets: the stream is corrupt or out of order. */
export class UnfoldableEventError extends Error {
  constructor(eventType: string, status: string, why: string) {
    super(`Cannot fold ${eventType} into a proposal in status "${status}": ${why}`);
    this.name = 'UnfoldableEventError';
  }
}
