import { proposalIdOf, sealedLookingPath, sealedOutsidePersonalData } from '@banli/domain';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { BusMessage } from '../message-bus.port';
import schema from './bus-message.v1.schema.json';

/** The current schema version of each event type, as the bus contract documents it. */
export const BUS_SCHEMA_VERSIONS: Readonly<Record<string, number>> = schema['x-schema-versions'];

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateEnvelope = ajv.compile(schema);

export class InvalidBusMessageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Not a Banli bus message: ${problems.join('; ')}`);
    this.name = 'InvalidBusMessageError';
  }
}

/**
 * Checks a consumed message against the documented contract (bus-message.v1.schema.json): its envelope,
 * and that its schema version is one this consumer knows.
 */
export function validateBusMessage(message: unknown): BusMessage {
  if (!validateEnvelope(message)) {
    throw new InvalidBusMessageError((validateEnvelope.errors ?? []).map((e) => `${e.instancePath || '(message)'} ${e.message}`));
  }
  const m = message as unknown as BusMessage;
  const known = BUS_SCHEMA_VERSIONS[m.type];
  if (m.schemaVersion > known) throw new InvalidBusMessageError([`${m.type} schema version ${m.schemaVersion} is newer than this consumer knows (${known})`]);
  return m;
}

/**
 * Where a consumed message carries a sealed personal-data value outside the fields that hold one (a
 * number sealed for one person, pasted where the next reader would see it): what only a forged or
 * corrupted message does. Consumers refuse such a message; undefined when it is in order.
 */
export function forgedPersonalData(message: Pick<BusMessage, 'streamId' | 'type' | 'schemaVersion' | 'data'>): string | undefined {
  const proposalId = proposalIdOf(message.streamId);
  return proposalId === undefined ? sealedLookingPath(message.data) : sealedOutsidePersonalData(proposalId, message.type, message.schemaVersion, message.data);
}
