import { ChineseDaysCalendar } from '../calendar/chinese-days.calendar';
import { periodEnd } from '../periods/period';
import { calendarFor, extensionLimit } from '../proposal/deadline-schedule';
import { type CalendarDate, shanghaiDate } from '../shared/calendar-date';
import { builtInRuleSets } from './built-in.rule-sets';
import type { CitedPeriod, RuleSet, StepName } from './rule-set';

/*
 * Every due date below was counted by hand from the article and the State Council's calendar
 * (民法典 201–203, DOMAIN.md "How a period is counted"): the start day does not count; a month period
 * ends on the corresponding day (or the month's last day); a last day that is a rest day or holiday
 * moves to the next working day; working days skip weekends and holidays and count make-up days.
 *
 * The calendar the counts rely on (chinese-days 1.5.7, checked against its data file):
 *   2025  Qingming Apr 4–6 · Labour Day May 1–5 (make-up Sun Apr 27) · Dragon Boat May 31–Jun 2 ·
 *         Spring Festival Jan 28–Feb 4 (make-up Sun Jan 26, Sat Feb 8) ·
 *         National Day + Mid-Autumn Oct 1–8 (make-up Sun Sep 28, Sat Oct 11)
 *   2026  New Year Jan 1–3 (make-up Sun Jan 4) · Spring Festival Feb 15–23 (make-up Sat Feb 14, Sat Feb 28)
 *
 * The scenarios, each assigned through Banli so that receipt (收到) is the day of assignment (交办):
 *   ordinary  assigned Mon 2025-03-10; reply dispatched Tue 2025-06-10; re-handling ordered Mon 2025-07-14;
 *             co-opinion returned Mon 2025-04-14; commitment fulfilled Mon 2025-11-03
 *   holiday   assigned Mon 2025-09-22 (National Day 2025 inside the working-day counts, Spring Festival 2026
 *             at the end of Sichuan's five months); reply dispatched Thu 2025-09-25; re-handling ordered
 *             Mon 2025-09-08; co-opinion returned Fri 2025-09-26; commitment fulfilled Thu 2025-09-25
 *   (Chongqing also: Spring Festival 2025, assigned Mon 2025-01-20.)
 *
 * Working days after Mon 2025-09-22, numbered: 1 Sep 23, 2 Sep 24, 3 Sep 25, 4 Sep 26, 5 Sep 28 (make-up Sun),
 * 6 Sep 29, 7 Sep 30, [Oct 1–8 off] 8 Oct 9, 9 Oct 10, 10 Oct 11 (make-up Sat), 11 Oct 13 … 15 Oct 17,
 * 16 Oct 20 … 20 Oct 24, 21 Oct 27 … 25 Oct 31, 26 Nov 3 … 30 Nov 7.
 * Working days after Mon 2025-03-10: 1 Mar 11 … 4 Mar 14, 5 Mar 17 … 9 Mar 21, 10 Mar 24 … 14 Mar 28,
 * 15 Mar 31, 16 Apr 1, 17 Apr 2, 18 Apr 3, [Apr 4 Qingming] 19 Apr 7, 20 Apr 8, 21 Apr 9 … 23 Apr 11,
 * 24 Apr 14 … 28 Apr 18, 29 Apr 21, 30 Apr 22.
 */

/** What is timed: a step of the rule set, its complex reply period, or the latest date an extension may reach. */
type Timed = StepName | 'complexReply' | 'extension-cap';

interface Case {
  readonly id: string;
  readonly timed: Timed;
  /** The Shanghai date of the start event (assignment, receipt, dispatch, order…). */
  readonly start: CalendarDate;
  /** Counted by hand from the article. */
  readonly due: CalendarDate;
  /** Where the code counts otherwise and the hand count follows the text: reported, not yet fixed. */
}

const c = (id: string, timed: Timed, start: CalendarDate, due: CalendarDate): Case => ({ id, timed, start, due });

/**
 * The extension cap as extendDeadline counts it (deadline-schedule.ts, extensionLimit): where the text caps
 * the whole reply (北京 第二十一条 "至迟不得超过六个月", 山东 第十九条, 青岛 第二十五条 "自交办之日起最长不得超过六个月",
 * 浙江 第二十一条 "延长至六个月内", 四川 "至迟不超过6个月"), six months from the start, moved to a working day; where
 * it caps the extension itself (上海 第十九条 "延长时间不得超过三个月"), three months beyond the original due date.
 */

const CASES: readonly Case[] = [
  // ── cq-npc-2017 (重庆) ── ordinary: Mon 2025-03-10
  c('cq-npc-2017', 'adjustment-window', '2025-03-10', '2025-03-24'), // 第十六条 10 wd from 交办: 11,12,13,14,17,18,19,20,21,24
  c('cq-npc-2017', 'first-contact', '2025-03-10', '2025-04-08'), // 第十八条 20 wd from 收到: … 18 Apr 3, [Apr 4 off], 19 Apr 7, 20 Apr 8
  c('cq-npc-2017', 'co-opinion', '2025-03-10', '2025-04-22'), // 第二十条 30 wd from 交办: … 20 Apr 8, 21–23 Apr 9–11, 24–28 Apr 14–18, 29 Apr 21, 30 Apr 22
  c('cq-npc-2017', 'co-opinion-resubmission', '2025-04-14', '2025-04-21'), // 第二十条 5 wd from Mon Apr 14: 15,16,17,18,21
  c('cq-npc-2017', 'reply', '2025-03-10', '2025-06-10'), // 第二十一条 3 months: Jun 10 (Tue, working)
  c('cq-npc-2017', 'complexReply', '2025-03-10', '2025-09-10'), // 第二十一条 6 months: Sep 10 (Wed, working)
  c('cq-npc-2017', 'evaluation', '2025-06-10', '2025-07-08'), // 第二十七条 20 wd from Tue Jun 10: Jun 11,12,13 (3), 16–20 (8), 23–27 (13), 30 (14), Jul 1–4 (18), 7 (19), 8 (20)
  c('cq-npc-2017', 'rehandling-reply', '2025-07-14', '2025-09-15'), // 第二十七条 2 months: Sep 14 is a Sunday → Mon Sep 15
  c('cq-npc-2017', 'commitment-receipt', '2025-11-03', '2025-12-01'), // 第二十八条 20 wd from Mon Nov 3: Nov 4–7 (4), 10–14 (9), 17–21 (14), 24–28 (19), Dec 1 (20)
  // cq-npc-2017 — holiday: Mon 2025-09-22
  c('cq-npc-2017', 'adjustment-window', '2025-09-22', '2025-10-11'), // 10 wd: 23,24,25,26,28 (make-up Sun),29,30, [Oct 1–8], 9,10,11 (make-up Sat)
  c('cq-npc-2017', 'first-contact', '2025-09-22', '2025-10-24'), // 20 wd: … 10 Oct 11, 11–15 Oct 13–17, 16–20 Oct 20–24
  c('cq-npc-2017', 'co-opinion', '2025-09-22', '2025-11-07'), // 30 wd: … 20 Oct 24, 21–25 Oct 27–31, 26–30 Nov 3–7
  c('cq-npc-2017', 'co-opinion-resubmission', '2025-09-26', '2025-10-10'), // 5 wd from Fri Sep 26: 28 (make-up Sun), 29, 30, [Oct 1–8], Oct 9, Oct 10
  c('cq-npc-2017', 'reply', '2025-09-22', '2025-12-22'), // 3 months: Dec 22 (Mon)
  c('cq-npc-2017', 'complexReply', '2025-09-22', '2026-03-23'), // 6 months: 2026-03-22 is a Sunday → Mon Mar 23
  c('cq-npc-2017', 'evaluation', '2025-09-25', '2025-10-29'), // 20 wd from Thu Sep 25: 26, 28 (make-up), 29, 30, Oct 9, 10, 11 (make-up), 13–17 (12), 20–24 (17), 27, 28, 29 (20)
  c('cq-npc-2017', 'rehandling-reply', '2025-09-08', '2025-11-10'), // 2 months: Nov 8 is a Saturday → Mon Nov 10
  c('cq-npc-2017', 'commitment-receipt', '2025-09-25', '2025-10-29'), // 20 wd from Thu Sep 25, as the evaluation above
  // cq-npc-2017 — Spring Festival 2025: Mon 2025-01-20
  c('cq-npc-2017', 'adjustment-window', '2025-01-20', '2025-02-08'), // 10 wd: 21,22,23,24,26 (make-up Sun),27, [Jan 28–Feb 4], Feb 5,6,7,8 (make-up Sat)
  c('cq-npc-2017', 'first-contact', '2025-01-20', '2025-02-21'), // 20 wd: … 10 Feb 8, 11–15 Feb 10–14, 16–20 Feb 17–21
  c('cq-npc-2017', 'reply', '2025-01-20', '2025-04-21'), // 3 months: Apr 20 is a Sunday → Mon Apr 21

  // ── sh-npc-2015 (上海) ── ordinary
  c('sh-npc-2015', 'adjustment-window', '2025-03-10', '2025-03-19'), // 第十四条 7 wd from 收到: 11,12,13,14,17,18,19
  c('sh-npc-2015', 'co-opinion', '2025-03-10', '2025-04-10'), // 第十七条 1 month from 收到: Apr 10 (Thu)
  c('sh-npc-2015', 'reply', '2025-03-10', '2025-06-10'), // 第十九条 3 months from 交办
  c('sh-npc-2015', 'extension-cap', '2025-03-10', '2025-09-10'), // 第十九条 at most 3 months beyond the period's end Jun 10: Sep 10 (Wed)
  c('sh-npc-2015', 'rehandling-reply', '2025-07-14', '2025-08-14'), // 第二十一条 1 month: Aug 14 (Thu)
  // sh-npc-2015 — holiday
  c('sh-npc-2015', 'adjustment-window', '2025-09-22', '2025-09-30'), // 7 wd: 23,24,25,26,28 (make-up Sun),29,30
  c('sh-npc-2015', 'co-opinion', '2025-09-22', '2025-10-22'), // 1 month: Oct 22 (Wed)
  c('sh-npc-2015', 'reply', '2025-09-22', '2025-12-22'), // 3 months: Dec 22 (Mon)
  c('sh-npc-2015', 'extension-cap', '2025-09-22', '2026-03-23'), // 3 months beyond Dec 22: 2026-03-22 Sunday → Mon Mar 23
  c('sh-npc-2015', 'rehandling-reply', '2025-09-08', '2025-10-09'), // 1 month: Oct 8 is a holiday → Thu Oct 9
  // sh-npc-2015 — a reply period ending in the holiday: Tue 2025-07-08
  c('sh-npc-2015', 'reply', '2025-07-08', '2025-10-09'), // 3 months: Oct 8 holiday → Thu Oct 9
  c('sh-npc-2015', 'extension-cap', '2025-07-08', '2026-01-09'), // "延长时间不得超过三个月" beyond the period's end Oct 9: 2026-01-09 (Fri)

  // ── national-npc-2025 (代表法 第五十一条) ──
  c('national-npc-2025', 'reply', '2025-03-10', '2025-06-10'), // 3 months from 交办
  c('national-npc-2025', 'complexReply', '2025-03-10', '2025-09-10'), // 6 months from 交办
  c('national-npc-2025', 'reply', '2025-09-22', '2025-12-22'), // 3 months
  c('national-npc-2025', 'complexReply', '2025-09-22', '2026-03-23'), // 6 months: Mar 22 Sunday → Mon Mar 23

  // ── bj-npc-2014 (北京) ── ordinary
  c('bj-npc-2014', 'reply', '2025-03-10', '2025-06-10'), // 第二十一条 3 months from 交办
  c('bj-npc-2014', 'extension-cap', '2025-03-10', '2025-09-10'), // 第二十一条 "至迟不得超过六个月" from 交办: Sep 10
  c('bj-npc-2014', 'evaluation', '2025-06-10', '2025-07-01'), // 第二十三条 15 wd from Tue Jun 10: 11,12,13, 16–20 (8), 23–27 (13), 30 (14), Jul 1 (15)
  c('bj-npc-2014', 'rehandling-reply', '2025-07-14', '2025-09-15'), // 第二十七条 2 months: Sep 14 Sunday → Mon Sep 15
  // bj-npc-2014 — holiday
  c('bj-npc-2014', 'reply', '2025-09-22', '2025-12-22'),
  c('bj-npc-2014', 'extension-cap', '2025-09-22', '2026-03-23'), // 6 months from 交办: Mar 22 Sunday → Mon Mar 23
  c('bj-npc-2014', 'evaluation', '2025-09-25', '2025-10-22'), // 15 wd from Thu Sep 25: 26, 28 (make-up), 29, 30, Oct 9, 10, 11 (make-up), 13–17 (12), 20, 21, 22 (15)
  c('bj-npc-2014', 'rehandling-reply', '2025-09-08', '2025-11-10'), // 2 months: Nov 8 Saturday → Mon Nov 10
  // bj-npc-2014 — a reply period ending in the holiday: Tue 2025-07-08
  c('bj-npc-2014', 'reply', '2025-07-08', '2025-10-09'), // 3 months: Oct 8 holiday → Thu Oct 9
  c('bj-npc-2014', 'extension-cap', '2025-07-08', '2026-01-08'), // 6 months from 交办 Jul 8: 2026-01-08 (Thu); the code gives Oct 9 + 3 months = 2026-01-09

  // ── sd-npc-2017 (山东) ── ordinary
  c('sd-npc-2017', 'adjustment-window', '2025-03-10', '2025-03-17'), // 第十二条 5 日 from 收到: Mar 15 Saturday → (Sun 16) → Mon Mar 17
  c('sd-npc-2017', 'co-opinion', '2025-03-10', '2025-04-10'), // 第二十一条 1 month from 收到
  c('sd-npc-2017', 'reply', '2025-03-10', '2025-06-10'), // 第十九条 3 months (from 交办, as chosen)
  c('sd-npc-2017', 'extension-cap', '2025-03-10', '2025-09-10'), // 第十九条 "至迟不超过六个月": Sep 10
  c('sd-npc-2017', 'rehandling-reply', '2025-07-14', '2025-08-14'), // 第二十四条 1 month
  // sd-npc-2017 — holiday
  c('sd-npc-2017', 'adjustment-window', '2025-09-22', '2025-09-28'), // 5 日: Sep 27 Saturday → Sun Sep 28, a make-up working day
  c('sd-npc-2017', 'co-opinion', '2025-09-22', '2025-10-22'),
  c('sd-npc-2017', 'reply', '2025-09-22', '2025-12-22'),
  c('sd-npc-2017', 'extension-cap', '2025-09-22', '2026-03-23'), // 6 months: Mar 22 Sunday → Mon Mar 23
  c('sd-npc-2017', 'rehandling-reply', '2025-09-08', '2025-10-09'), // 1 month: Oct 8 holiday → Thu Oct 9
  // sd-npc-2017 — a reply period ending in the holiday: Tue 2025-07-08
  c('sd-npc-2017', 'reply', '2025-07-08', '2025-10-09'),
  c('sd-npc-2017', 'extension-cap', '2025-07-08', '2026-01-08'), // six months of 办理期限 from Jul 8: 2026-01-08; the code gives 2026-01-09

  // ── qd-npc-2021 (青岛) ── ordinary
  c('qd-npc-2021', 'adjustment-window', '2025-03-10', '2025-03-17'), // 第十九条 5 wd from 收到: 11,12,13,14,17
  c('qd-npc-2021', 'co-opinion', '2025-03-10', '2025-04-10'), // 第二十四条 1 month from 收到
  c('qd-npc-2021', 'reply', '2025-03-10', '2025-06-10'), // 第二十五条 3 months from 交办
  c('qd-npc-2021', 'extension-cap', '2025-03-10', '2025-09-10'), // 第二十五条 "自交办之日起最长不得超过六个月"
  // qd-npc-2021 — holiday
  c('qd-npc-2021', 'adjustment-window', '2025-09-22', '2025-09-28'), // 5 wd: 23,24,25,26,28 (make-up Sun)
  c('qd-npc-2021', 'co-opinion', '2025-09-22', '2025-10-22'),
  c('qd-npc-2021', 'reply', '2025-09-22', '2025-12-22'),
  c('qd-npc-2021', 'extension-cap', '2025-09-22', '2026-03-23'),
  // qd-npc-2021 — a reply period ending in the holiday: Tue 2025-07-08
  c('qd-npc-2021', 'reply', '2025-07-08', '2025-10-09'),
  c('qd-npc-2021', 'extension-cap', '2025-07-08', '2026-01-08'), // 6 months from 交办 Jul 8: 2026-01-08; the code gives 2026-01-09

  // ── ha-npc-2017 (河南) ── ordinary
  c('ha-npc-2017', 'adjustment-window', '2025-03-10', '2025-03-24'), // 第十四条 10 wd from 交办
  c('ha-npc-2017', 'co-opinion', '2025-03-10', '2025-05-12'), // 第十八条 2 months from 收到: May 10 Saturday → (Sun 11) → Mon May 12
  c('ha-npc-2017', 'reply', '2025-03-10', '2025-06-10'), // 第二十条 3 months from 收到
  c('ha-npc-2017', 'complexReply', '2025-03-10', '2025-09-10'), // 第二十条 6 months from 收到
  c('ha-npc-2017', 'evaluation', '2025-06-10', '2025-06-24'), // 第二十二条 10 wd from Tue Jun 10: 11,12,13,16,17,18,19,20,23,24
  c('ha-npc-2017', 'rehandling-reply', '2025-07-14', '2025-08-14'), // 第二十二条 1 month
  // ha-npc-2017 — holiday
  c('ha-npc-2017', 'adjustment-window', '2025-09-22', '2025-10-11'), // 10 wd: … 30, [Oct 1–8], 9, 10, 11 (make-up Sat)
  c('ha-npc-2017', 'co-opinion', '2025-09-22', '2025-11-24'), // 2 months: Nov 22 Saturday → Mon Nov 24
  c('ha-npc-2017', 'reply', '2025-09-22', '2025-12-22'),
  c('ha-npc-2017', 'complexReply', '2025-09-22', '2026-03-23'),
  c('ha-npc-2017', 'evaluation', '2025-09-25', '2025-10-15'), // 10 wd from Thu Sep 25: 26, 28 (make-up), 29, 30, Oct 9, 10, 11 (make-up), 13, 14, 15
  c('ha-npc-2017', 'rehandling-reply', '2025-09-08', '2025-10-09'), // 1 month: Oct 8 holiday → Thu Oct 9

  // ── zj-npc-2016 (浙江) ── ordinary
  c('zj-npc-2016', 'adjustment-window', '2025-03-10', '2025-03-20'), // 第十四条 10 日 from 收到: Mar 20 (Thu)
  c('zj-npc-2016', 'co-opinion', '2025-03-10', '2025-05-12'), // 第十八条 2 months from 收到: May 10 Saturday → Mon May 12
  c('zj-npc-2016', 'reply', '2025-03-10', '2025-06-10'), // 第二十一条 3 months from 接到
  c('zj-npc-2016', 'extension-cap', '2025-03-10', '2025-09-10'), // 第二十一条 "延长至六个月内"
  c('zj-npc-2016', 'rehandling-reply', '2025-07-14', '2025-08-14'), // 第二十四条 1 month
  // zj-npc-2016 — holiday
  c('zj-npc-2016', 'adjustment-window', '2025-09-22', '2025-10-09'), // 10 日: Oct 2, a holiday (to Oct 8) → Thu Oct 9
  c('zj-npc-2016', 'co-opinion', '2025-09-22', '2025-11-24'), // 2 months: Nov 22 Saturday → Mon Nov 24
  c('zj-npc-2016', 'reply', '2025-09-22', '2025-12-22'),
  c('zj-npc-2016', 'extension-cap', '2025-09-22', '2026-03-23'),
  c('zj-npc-2016', 'rehandling-reply', '2025-09-08', '2025-10-09'),
  // zj-npc-2016 — a reply period ending in the holiday: received Tue 2025-07-08
  c('zj-npc-2016', 'reply', '2025-07-08', '2025-10-09'),
  c('zj-npc-2016', 'extension-cap', '2025-07-08', '2026-01-08'), // six months from 接到 Jul 8: 2026-01-08; the code gives 2026-01-09

  // ── sc-gov-2024 (四川, session proposals) ── ordinary
  c('sc-gov-2024', 'reply', '2025-03-10', '2025-08-11'), // 5 months from 收到: Aug 10 Sunday → Mon Aug 11
  c('sc-gov-2024', 'extension-cap', '2025-03-10', '2025-09-10'), // "至迟不超过6个月" from 收到: Sep 10 (Wed); the code gives Aug 11 + 1 month = Sep 11
  c('sc-gov-2024', 'rehandling-reply', '2025-07-14', '2025-10-14'), // 3 months: Oct 14 (Tue)
  // sc-gov-2024 — holiday
  c('sc-gov-2024', 'reply', '2025-09-22', '2026-02-24'), // 5 months: 2026-02-22 Sunday in Spring Festival (Feb 15–23) → Tue Feb 24
  c('sc-gov-2024', 'extension-cap', '2025-09-22', '2026-03-23'), // 6 months from 收到: Mar 22 Sunday → Mon Mar 23; the code gives Feb 24 + 1 month = Mar 24
  c('sc-gov-2024', 'rehandling-reply', '2025-09-08', '2025-12-08'), // 3 months: Dec 8 (Mon)

  // ── cppcc-generic (assumed) ── ordinary
  c('cppcc-generic', 'reply', '2025-03-10', '2025-06-10'), // 3 months from 交办
  c('cppcc-generic', 'extension-cap', '2025-03-10', '2025-09-10'), // assumed: 3 months beyond the original due date Jun 10
  c('cppcc-generic', 'rehandling-reply', '2025-07-14', '2025-10-14'), // 3 months
  // cppcc-generic — holiday
  c('cppcc-generic', 'reply', '2025-09-22', '2025-12-22'),
  c('cppcc-generic', 'extension-cap', '2025-09-22', '2026-03-23'), // Dec 22 + 3 months: Mar 22 Sunday → Mon Mar 23
  c('cppcc-generic', 'rehandling-reply', '2025-09-08', '2025-12-08'),
];

const base = new ChineseDaysCalendar();

/** A step's due date as the planner computes it (DeadlinePlanner.forStep): the period from the Shanghai date of the start instant. */
function computed(ruleSet: RuleSet, timed: Timed, start: CalendarDate): { dueDate: CalendarDate; provisional: boolean } {
  const calendar = calendarFor(ruleSet, base);
  const startDate = shanghaiDate(`${start}T10:00:00+08:00`);
  const period = (rule: CitedPeriod | undefined, what: string): CitedPeriod => {
    if (!rule) throw new Error(`${ruleSet.id} does not time ${what}`);
    return rule;
  };
  switch (timed) {
    case 'complexReply':
      return periodEnd(startDate, period(ruleSet.complexReply, 'a complex reply'), calendar);
    case 'extension-cap': {
      // As extendDeadline bounds an extension: `total` from the start, else `max` beyond the original due date.
      const original = periodEnd(startDate, period(ruleSet.steps.reply, 'the reply'), calendar);
      const limit = extensionLimit(ruleSet, { startDate, originalDueDate: original.dueDate }, calendar);
      if (!limit) throw new Error(`${ruleSet.id} allows no extension`);
      return limit;
    }
    default:
      return periodEnd(startDate, period(ruleSet.steps[timed], timed), calendar);
  }
}

const title = ({ id, timed, start, due }: Case) => `${id}: ${timed} from ${start} is due ${due}`;

describe('due dates of every built-in rule set, counted by hand from the article and the official calendar', () => {
  it('covers every built-in rule set, each with an ordinary and a holiday scenario, and every period it times', () => {
    const ids = builtInRuleSets().ids();
    expect([...new Set(CASES.map((x) => x.id))].sort()).toEqual(ids);
    for (const id of ids) {
      const ruleSet = builtInRuleSets().get(id)!;
      const timed: Timed[] = [...(Object.keys(ruleSet.steps) as StepName[]), ...(ruleSet.complexReply ? (['complexReply'] as const) : []), ...(ruleSet.extension ? (['extension-cap'] as const) : [])];
      for (const t of timed) {
        const starts = CASES.filter((x) => x.id === id && x.timed === t).map((x) => x.start);
        expect({ id, timed: t, scenarios: starts.length >= 2 }).toEqual({ id, timed: t, scenarios: true });
      }
    }
  });

  it.each(CASES.map((x) => [title(x), x] as const))('%s', (_, { id, timed, start, due }) => {
    const end = computed(builtInRuleSets().get(id)!, timed, start);
    expect(end).toMatchObject({ dueDate: due, provisional: false });
  });

  it('counts from the Shanghai date of the start instant: an assignment at 00:30 Shanghai on Mon 2025-03-10 (16:30 UTC the day before)', () => {
    const cq = builtInRuleSets().get('cq-npc-2017')!;
    const startDate = shanghaiDate('2025-03-09T16:30:00.000Z');
    expect(startDate).toBe('2025-03-10');
    // 10 wd from Mon 2025-03-10: 11,12,13,14,17,18,19,20,21,24 (not 10 wd from Sun 2025-03-09, which would end Mar 21).
    expect(periodEnd(startDate, cq.steps['adjustment-window']!, calendarFor(cq, base)).dueDate).toBe('2025-03-24');
  });
});
