import { getLunarDate } from 'chinese-days';
import published from 'chinese-days/dist/chinese-days.json';
import { addDays, type CalendarDate, formatDate, parseDate, weekday } from '../shared/calendar-date';
import type { WorkingDayCalendar } from './working-day-calendar.port';

const CHINESE_DAYS_VERSION = '1.5.7';

/**
 * The official mainland calendar: weekends, public holidays and make-up working days (调休) as
 * published each year by the State Council, from the maintained `chinese-days` package.
 *
 * The published table is read directly (plain `YYYY-MM-DD` keys), not through the package's date
 * helpers, whose results depend on the host's timezone.
 *
 * For a year the package has not published yet (the State Council announces each year's
 * arrangement in the preceding autumn or winter), the calendar falls back to the statutory holidays of
 * 《全国年节及纪念日放假办法》 (2024 revision): 元旦 1 day, 春节 4 days (除夕 to 初三), 清明 1,
 * 劳动节 2 (May 1–2), 端午 1, 中秋 1, 国庆 3 (Oct 1–3). Such days report `isOfficial() === false` so
 * that due dates computed on them are marked provisional.
 */
export class ChineseDaysCalendar implements WorkingDayCalendar {
  readonly id = `chinese-days@${CHINESE_DAYS_VERSION}`;
  private readonly holidays: ReadonlySet<CalendarDate>;
  private readonly makeUpWorkdays: ReadonlySet<CalendarDate>;
  private readonly firstYear: number;
  private readonly lastYear: number;
  private readonly statutoryByYear = new Map<number, ReadonlySet<CalendarDate>>();

  constructor() {
    this.holidays = new Set(Object.keys(published.holidays));
    this.makeUpWorkdays = new Set(Object.keys(published.workdays));
    const years = [...this.holidays].map((date) => Number(date.slice(0, 4)));
    this.firstYear = Math.min(...years);
    this.lastYear = Math.max(...years);
  }

  isOfficial(date: CalendarDate): boolean {
    const { year } = parseDate(date);
    return year >= this.firstYear && year <= this.lastYear;
  }

  isWorkingDay(date: CalendarDate): boolean {
    if (this.isOfficial(date)) {
      if (this.makeUpWorkdays.has(date)) return true;
      if (this.holidays.has(date)) return false;
      return !isWeekend(date);
    }
    return !isWeekend(date) && !this.statutoryHolidays(parseDate(date).year).has(date);
  }

  /** The statutory public holidays of a year, without the bridging arrangement of any announcement. */
  statutoryHolidays(year: number): ReadonlySet<CalendarDate> {
    let days = this.statutoryByYear.get(year);
    if (!days) {
      days = computeStatutoryHolidays(year);
      this.statutoryByYear.set(year, days);
    }
    return days;
  }
}

function isWeekend(date: CalendarDate): boolean {
  const day = weekday(date);
  return day === 0 || day === 6;
}

/*
 * The package's lunar-to-solar and solar-term helpers format dates with the host's local clock and
 * shift by a day in some timezones. Its solar-to-lunar lookup on a `YYYY-MM-DD` string is pure UTC
 * arithmetic, so the lunar holidays are found by scanning the year with it.
 */
function computeStatutoryHolidays(year: number): ReadonlySet<CalendarDate> {
  const lunar = new Map<string, CalendarDate>();
  for (let date = formatDate(year, 1, 1); date.startsWith(String(year)); date = addDays(date, 1)) {
    const l = getLunarDate(date);
    if (!l.isLeap) lunar.set(`${l.lunarMon}-${l.lunarDay}`, date);
  }
  const lunarNewYear = lunar.get('1-1')!;
  return new Set<CalendarDate>([
    formatDate(year, 1, 1),
    addDays(lunarNewYear, -1),
    lunarNewYear,
    addDays(lunarNewYear, 1),
    addDays(lunarNewYear, 2),
    qingming(year),
    formatDate(year, 5, 1),
    formatDate(year, 5, 2),
    lunar.get('5-5')!,
    lunar.get('8-15')!,
    formatDate(year, 10, 1),
    formatDate(year, 10, 2),
    formatDate(year, 10, 3),
  ]);
}

/** 清明 by the usual solar-term approximation for 2000–2099 (day = ⌊Y·0.2422 + 4.81⌋ − ⌊Y/4⌋, Y = year mod 100). */
function qingming(year: number): CalendarDate {
  const y = year % 100;
  return formatDate(year, 4, Math.floor(y * 0.2422 + 4.81) - Math.floor(y / 4));
}
