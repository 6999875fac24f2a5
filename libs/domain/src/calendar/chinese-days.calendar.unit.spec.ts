import { ChineseDaysCalendar } from './chinese-days.calendar';
import { withLocalDaysOff } from './working-day-calendar.port';

const HOLIDAYS_2027 = [
  '2027-01-01',
  '2027-02-05', // 除夕
  '2027-02-06', // 春节
  '2027-02-07',
  '2027-02-08',
  '2027-04-05', // 清明
  '2027-05-01',
  '2027-05-02',
  '2027-06-09', // 端午
  '2027-09-15', // 中秋
  '2027-10-01',
  '2027-10-02',
  '2027-10-03',
];

describe('ChineseDaysCalendar', () => {
  const calendar = new ChineseDaysCalendar();

  it.each`
    date            | working  | why
    ${'2025-09-28'} | ${true}  | ${'Sunday make-up working day before National Day'}
    ${'2025-10-11'} | ${true}  | ${'Saturday make-up working day after National Day'}
    ${'2025-10-01'} | ${false} | ${'National Day'}
    ${'2025-10-08'} | ${false} | ${'last day of the 2025 National Day holiday'}
    ${'2025-10-09'} | ${true}  | ${'first working day after it'}
    ${'2025-03-15'} | ${false} | ${'an ordinary Saturday'}
    ${'2025-03-17'} | ${true}  | ${'an ordinary Monday'}
    ${'2026-02-14'} | ${true}  | ${'Saturday make-up day before Spring Festival 2026'}
    ${'2026-02-16'} | ${false} | ${'Spring Festival 2026'}
  `('$date is a working day: $working ($why)', ({ date, working }) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
    expect(calendar.isOfficial(date)).toBe(true);
  });

  it('names its data version', () => {
    expect(calendar.id).toBe('chinese-days@1.5.7');
  });

  describe('for a year not yet published', () => {
    it('falls back to the statutory holidays and says the answer is not official', () => {
      expect(calendar.isOfficial('2027-02-08')).toBe(false);
      expect([...calendar.statutoryHolidays(2027)].sort()).toEqual(HOLIDAYS_2027);
      expect(calendar.isWorkingDay('2027-02-08')).toBe(false); // Monday, 初三
      expect(calendar.isWorkingDay('2027-02-09')).toBe(true);
      expect(calendar.isWorkingDay('2027-10-01')).toBe(false);
      expect(calendar.isWorkingDay('2027-02-13')).toBe(false); // Saturday
    });

    it('gives the same holidays whatever the host’s timezone', () => {
      const saved = process.env.TZ;
      try {
        for (const tz of ['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
          process.env.TZ = tz; // Node re-reads TZ when it is assigned
          expect([...new ChineseDaysCalendar().statutoryHolidays(2027)].sort()).toEqual(HOLIDAYS_2027);
        }
      } finally {
        process.env.TZ = saved;
      }
    });

    it('matches the published calendar’s holidays in a year it has (2025)', () => {
      // Every statutory day off of 2025 must be off in the official 2025 table.
      for (const day of calendar.statutoryHolidays(2025)) expect(calendar.isWorkingDay(day)).toBe(false);
    });
  });

  it('adds a jurisdiction’s local days off without losing the base calendar', () => {
    const local = withLocalDaysOff(calendar, ['2025-03-17']);
    expect(local.isWorkingDay('2025-03-17')).toBe(false);
    expect(local.isWorkingDay('2025-09-28')).toBe(true);
    expect(local.id).toBe('chinese-days@1.5.7+local(2025-03-17)');
    expect(withLocalDaysOff(calendar, [])).toBe(calendar);
  });
});
