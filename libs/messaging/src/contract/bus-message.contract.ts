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
