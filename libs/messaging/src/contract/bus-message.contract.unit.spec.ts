import { EVENT_SCHEMA_VERSIONS } from '@banli/domain';
import { busMessage } from '../testing/message-bus.contract';
import { BUS_SCHEMA_VERSIONS, InvalidBusMessageError, validateBusMessage } from './bus-message.contract';

describe('the bus message contract (bus-message.v1.schema.json)', () => {
  it('documents exactly the domain’s event types at their current schema versions', () => {
    expect(BUS_SCHEMA_VERSIONS).toEqual(EVENT_SCHEMA_VERSIONS);
  });

  it('accepts a message as the relay publishes it', () => {
    const message = busMessage('proposal-ns-0123456789abcdef', 3, 42);
    expect(validateBusMessage(JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  it.each`
    what                              | change
    ${'no event id'}                  | ${(m: any) => delete m.eventId}
    ${'an event id that is no UUID'}  | ${(m: any) => (m.eventId = 'x')}
    ${'an unknown event type'}        | ${(m: any) => (m.type = 'ProposalTeleported')}
    ${'a stream that is no item'}     | ${(m: any) => (m.streamId = 'units-directory')}
    ${'a negative revision'}          | ${(m: any) => (m.revision = -1)}
    ${'data that is not an object'}   | ${(m: any) => (m.data = 'text')}
    ${'a malformed instant'}          | ${(m: any) => (m.occurredAt = 'yesterday')}
    ${'a field the contract lacks'}   | ${(m: any) => (m.secret = true)}
    ${'a schema version too new'}     | ${(m: any) => (m.schemaVersion = 2)}
  `('refuses $what', ({ change }) => {
    const message = JSON.parse(JSON.stringify(busMessage('proposal-x', 0, 1)));
    change(message);
    expect(() => validateBusMessage(message)).toThrow(InvalidBusMessageError);
  });
});
