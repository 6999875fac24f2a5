import { EVENT_SCHEMA_VERSIONS, type ProposalEventType } from './proposal.events';

/**
 * Events are forever: an event is stored in the form it was written and brought up to the current
 * form each time it is read. One upcaster takes one event type from one schema version to the next;
 * they chain (v1 → v2 → v3 …), so every version ever written still loads.
 */
export interface Upcaster {
  readonly type: ProposalEventType;
  readonly from: number;
  readonly why: string;
  up(data: Record<string, unknown>): Record<string, unknown>;
}

export const UPCASTERS: readonly Upcaster[] = [
  {
    type: 'ReplyDrafted',
    from: 1,
    why: 'v2 keeps the contact person’s name and phone together as `contact`, the personal data of one person',
    up: ({ contactPerson, contactPhone, ...rest }) => ({ ...rest, contact: { name: contactPerson, phone: contactPhone } }),
  },
  {
    type: 'ReplyPublished',
    from: 1,
    why: 'v2 records the public text as published; a v1 publication published the body, which is redacted when it is read',
    up: (data) => ({ ...data, edited: false }),
  },
];

/** An event whose schema version no upcaster chain reaches: written by a newer Banli, or corrupt. */
export class UnknownSchemaVersionError extends Error {
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
  ) {
    super(`${type} v${schemaVersion} cannot be read: this Banli reads up to v${EVENT_SCHEMA_VERSIONS[type as ProposalEventType] ?? '?'}`);
    this.name = 'UnknownSchemaVersionError';
  }
}

const byStep = new Map(UPCASTERS.map((u) => [`${u.type}@${u.from}`, u]));

/** The event's data in the current schema version of its type. Types the domain does not know pass as they are. */
export function upcast(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
  const current = EVENT_SCHEMA_VERSIONS[type as ProposalEventType];
  if (current === undefined || schemaVersion === current) return { schemaVersion, data };
  if (schemaVersion > current || schemaVersion < 1) throw new UnknownSchemaVersionError(type, schemaVersion);
  let version = schemaVersion;
  let upcasted = data as Record<string, unknown>;
  while (version < current) {
    const step = byStep.get(`${type}@${version}`);
    if (!step) throw new UnknownSchemaVersionError(type, schemaVersion);
    upcasted = step.up(upcasted);
    version += 1;
  }
  return { schemaVersion: version, data: upcasted };
}
