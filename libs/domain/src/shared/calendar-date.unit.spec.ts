import {
  addDays,
  endOfShanghaiDay,
  isCalendarDate,
  isInstant,
  normaliseInstant,
  parseDate,
  shanghaiDate,
  startOfShanghaiDay,
  weekday,
} from './calendar-date';
import { DomainError, ERROR_CATEGORIES, refuse } from './domain-error';

describe('calendar dates and instants in Asia/Shanghai', () => {
  it.each`
    value           | valid
    ${'2024-02-29'} | ${true}
    ${'2023-02-29'} | ${false}
    ${'2025-13-01'} | ${false}
    ${'2025-1-01'}  | ${false}
    ${20250101}     | ${false}
  `('isCalendarDate($value) is $valid', ({ value, valid }) => {
    expect(isCalendarDate(value)).toBe(valid);
  });

  it('recognises instants', () => {
    expect(isInstant('2025-03-10T02:00:00.000Z')).toBe(true);
    expect(isInstant('2025-03-10')).toBe(false);
    expect(isInstant('2025-03-10Tnonsense')).toBe(false);
  });

  it('refuses to parse a non-date', () => {
    expect(() => parseDate('2025-02-30')).toThrow(RangeError);
  });

  it('puts an instant on the Shanghai calendar day it falls on', () => {
    expect(shanghaiDate('2025-03-09T15:59:59.999Z')).toBe('2025-03-09');
    expect(shanghaiDate('2025-03-09T16:00:00.000Z')).toBe('2025-03-10');
    expect(startOfShanghaiDay('2025-03-10')).toBe('2025-03-09T16:00:00.000Z');
    expect(endOfShanghaiDay('2025-12-31')).toBe('2025-12-31T16:00:00.000Z');
    expect(normaliseInstant('2025-03-10T10:00:00+08:00')).toBe('2025-03-10T02:00:00.000Z');
  });

  it('does day arithmetic across month and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(weekday('2025-09-28')).toBe(0);
  });
});

describe('domain errors', () => {
  it('carry a stable code and its category', () => {
    expect(() => refuse('CO_OPINIONS_PENDING', 'outstanding', { units: ['u'] })).toThrow(DomainError);
    try {
      refuse('ADJUSTMENT_WINDOW_CLOSED', 'closed');
    } catch (error) {
      expect(error).toMatchObject({ code: 'ADJUSTMENT_WINDOW_CLOSED', category: 'rule-violation', details: {}, name: 'DomainError' });
    }
  });

  it('every code has a category the edge can map to HTTP', () => {
    const categories = new Set(Object.values(ERROR_CATEGORIES));
    expect([...categories].sort()).toEqual(['conflict', 'forbidden', 'invalid-input', 'malformed-input', 'not-found', 'rule-violation']);
  });
});
