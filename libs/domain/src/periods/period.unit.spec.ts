import { ChineseDaysCalendar } from '../calendar/chinese-days.calendar';
import { withLocalDaysOff } from '../calendar/working-day-calendar.port';
import { addMonths, nthWorkingDay, type Period, periodEnd, workingDaysBetween, workingDaysLeftFrom } from './period';

const calendar = new ChineseDaysCalendar();
const months = (duration: number): Period => ({ duration, unit: 'months' });
const days = (duration: number): Period => ({ duration, unit: 'days' });
const workingDays = (duration: number): Period => ({ duration, unit: 'working-days' });

describe('period arithmetic (民法典 arts. 201–203, Asia/Shanghai)', () => {
  describe('the cases the rules spell out', () => {
    it.each`
      start           | period            | dueDate         | why
      ${'2023-03-16'} | ${months(3)}      | ${'2023-06-16'} | ${'corresponding day of the final month'}
      ${'2024-11-30'} | ${months(3)}      | ${'2025-02-28'} | ${'no 30 February: the month’s last day'}
      ${'2025-07-01'} | ${months(3)}      | ${'2025-10-09'} | ${'10-01 falls in the National Day holiday (10-01..08): first working day after'}
      ${'2025-09-26'} | ${workingDays(10)} | ${'2025-10-16'} | ${'make-up days 09-28 (Sun) and 10-11 (Sat) are counted'}
    `('$start + $period.duration $period.unit → $dueDate ($why)', ({ start, period, dueDate }) => {
      expect(periodEnd(start, period, calendar).dueDate).toBe(dueDate);
    });
  });

  describe('around Spring Festival and month ends', () => {
    it.each`
      start           | period             | dueDate         | why
      ${'2025-01-24'} | ${workingDays(5)}  | ${'2025-02-07'} | ${'01-26 (Sun) is a make-up day; 01-28..02-04 are holidays'}
      ${'2024-02-08'} | ${workingDays(3)}  | ${'2024-02-19'} | ${'02-09 works, 02-10..17 off, 02-18 (Sun) is a make-up day'}
      ${'2026-02-13'} | ${workingDays(1)}  | ${'2026-02-14'} | ${'Saturday 2026-02-14 is a make-up working day'}
      ${'2026-01-15'} | ${months(1)}       | ${'2026-02-24'} | ${'02-15 is inside Spring Festival (02-15..23)'}
      ${'2025-10-31'} | ${months(1)}       | ${'2025-12-01'} | ${'no 31 November: 11-30, a Sunday, rolls to Monday'}
      ${'2024-01-31'} | ${months(1)}       | ${'2024-02-29'} | ${'leap year: the month’s last day is the 29th'}
      ${'2023-01-31'} | ${months(1)}       | ${'2023-02-28'} | ${'common year'}
      ${'2025-11-30'} | ${months(3)}       | ${'2026-02-28'} | ${'02-28 is a Saturday but a make-up working day, so it stands'}
      ${'2025-12-31'} | ${days(1)}         | ${'2026-01-04'} | ${'01-01..03 off; Sunday 01-04 is a make-up working day'}
      ${'2025-09-28'} | ${days(3)}         | ${'2025-10-09'} | ${'day periods roll past the holiday too'}
      ${'2025-03-10'} | ${workingDays(10)} | ${'2025-03-24'} | ${'an ordinary fortnight'}
      ${'2025-03-10'} | ${days(0)}         | ${'2025-03-10'} | ${'zero days on a working day is the day itself'}
    `('$start + $period.duration $period.unit → $dueDate ($why)', ({ start, period, dueDate }) => {
      expect(periodEnd(start, period, calendar).dueDate).toBe(dueDate);
    });
  });

  it('ends at 24:00 of the last day in Shanghai, which is 16:00 UTC', () => {
    const end = periodEnd('2023-03-16', months(3), calendar);
    expect(end).toEqual({ dueDate: '2023-06-16', dueAt: '2023-06-16T16:00:00.000Z', provisional: false });
  });

  it('marks a period provisional when it relies on a year whose holidays are not yet published', () => {
    expect(periodEnd('2026-11-23', months(3), calendar)).toEqual({
      dueDate: '2027-02-23',
      dueAt: '2027-02-23T16:00:00.000Z',
      provisional: true,
    });
    // 2027-02-06 (Sat) is lunar new year: 02-05..08 are statutory holidays, so the period runs to Tuesday 02-09.
    expect(periodEnd('2026-11-06', months(3), calendar)).toMatchObject({ dueDate: '2027-02-09', provisional: true });
  });

  it('honours a jurisdiction’s extra local days off', () => {
    const local = withLocalDaysOff(calendar, ['2025-06-10']);
    expect(periodEnd('2025-03-10', months(3), calendar).dueDate).toBe('2025-06-10');
    expect(periodEnd('2025-03-10', months(3), local).dueDate).toBe('2025-06-11');
  });

  it('refuses a negative or fractional duration', () => {
    expect(() => periodEnd('2025-03-10', days(-1), calendar)).toThrow(RangeError);
    expect(() => periodEnd('2025-03-10', workingDays(1.5), calendar)).toThrow(RangeError);
  });

  it('adds months across year ends', () => {
    expect(addMonths('2025-12-15', 2)).toBe('2026-02-15');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });

  describe('the approaching instant', () => {
    it('starts at 00:00 of the day from which N working days remain, the due day included', () => {
      // Due Friday 2023-06-16: 16, 15, 14, 13, 12 June are the last five working days.
      expect(workingDaysLeftFrom('2023-06-16', 5, calendar)).toBe('2023-06-11T16:00:00.000Z');
    });

    it('skips holidays when counting back', () => {
      // Due 2025-10-09: the working days before it are 09-30, 09-29, 09-28 (make-up) …
      expect(workingDaysLeftFrom('2025-10-09', 3, calendar)).toBe('2025-09-28T16:00:00.000Z');
    });
  });

  describe('counting working days for the supervision queries', () => {
    it('counts the working days after one date up to another, make-up days in, the National Day break out', () => {
      expect(workingDaysBetween('2025-09-30', '2025-10-10', calendar)).toBe(2); // 10-09 and 10-10
      expect(workingDaysBetween('2025-09-26', '2025-09-30', calendar)).toBe(3); // Sunday 09-28 is a make-up day
      expect(workingDaysBetween('2025-09-30', '2025-09-30', calendar)).toBe(0);
      expect(workingDaysBetween('2025-10-10', '2025-09-30', calendar)).toBe(0);
    });

    it('finds the n-th working day counted from a date itself', () => {
      expect(nthWorkingDay('2025-09-30', 1, calendar)).toBe('2025-09-30');
      expect(nthWorkingDay('2025-09-30', 2, calendar)).toBe('2025-10-09');
      expect(nthWorkingDay('2025-10-01', 1, calendar)).toBe('2025-10-09');
      expect(nthWorkingDay('2025-10-09', 3, calendar)).toBe('2025-10-11'); // Saturday 10-11 is a make-up day
      expect(() => nthWorkingDay('2025-10-09', 0, calendar)).toThrow(RangeError);
    });
  });
});
