/** No item under that id, and the command is not the one that creates it. */
export class ItemNotFoundError extends Error {
  readonly code = 'NOT_FOUND';

  constructor(readonly proposalId: string) {
    super(`No proposal ${proposalId}`);
    this.name = 'ItemNotFoundError';
  }
}

/**
 * The caller pinned the revision the command was meant for (`If-Match`, or an item arriving whole
 * that must be new), and the item is not there: refused rather than decided again on what it is now.
 */
export class RevisionMismatchError extends Error {
  readonly code = 'REVISION_MISMATCH';

  constructor(
    message: string,
    /** The item's revision when it was read, if the refusal came before deciding (-1: no item). */
    readonly revision?: number,
  ) {
    super(message);
    this.name = 'RevisionMismatchError';
  }
}

/** Every attempt met another writer's append first: the item is changing faster than it can be decided. */
export class ContentionError extends Error {
  readonly code = 'REVISION_MISMATCH';

  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super('The item is changing too fast; try again');
    this.name = 'ContentionError';
  }
}
