import { deterministicEventId, newEventId } from './event-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[78][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('event ids', () => {
  it('are UUIDs led by the time, so ids written later sort later', () => {
    const ids = [newEventId(Date.parse('2025-06-10T16:00:00Z')), newEventId(Date.parse('2025-06-10T16:00:00.001Z')), newEventId(Date.parse('2031-01-01T00:00:00Z'))];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(ids[0][14]).toBe('7');
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0].slice(0, 13)).toBe('01975a91-e400'); // 2025-06-10T16:00:00Z in milliseconds, hex
    expect(new Set(Array.from({ length: 1000 }, () => newEventId(0))).size).toBe(1000);
  });

  it('derived from a name are the same every time, and differ by name and instant', () => {
    const at = Date.parse('2025-06-10T16:00:00Z');
    const id = deterministicEventId(at, 'cq-2025-0026|reply:u-edu:1|breach');
    expect(id).toMatch(UUID);
    expect(id[14]).toBe('8');
    expect(deterministicEventId(at, 'cq-2025-0026|reply:u-edu:1|breach')).toBe(id);
    expect(deterministicEventId(at, 'cq-2025-0027|reply:u-edu:1|breach')).not.toBe(id);
    expect(deterministicEventId(at + 1, 'cq-2025-0026|reply:u-edu:1|breach')).not.toBe(id);
  });
});
