/** One stream per item. The prefix lets a store subscription filter proposal streams. */
export const PROPOSAL_STREAM_PREFIX = 'proposal-';

export function proposalStreamId(proposalId: string): string {
  return `${PROPOSAL_STREAM_PREFIX}${proposalId}`;
}

export function proposalIdOf(streamId: string): string | undefined {
  return streamId.startsWith(PROPOSAL_STREAM_PREFIX) ? streamId.slice(PROPOSAL_STREAM_PREFIX.length) : undefined;
}
