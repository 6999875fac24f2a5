import { calendarFor, type CalendarDate, ChineseDaysCalendar, extensionLimit, isCalendarDate, parseRuleSet, periodEnd, RuleSetError, scheduleFor, shanghaiDate, sourceText, type StepName } from '@banli/domain';
import { readFileSync } from 'node:fs';

interface Out {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm run banli -- rule-set check FILE [--from YYYY-MM-DD]`: validates a rule set as the service loads it,
 * and prints the due date each step gives when its start event happens on the sample date, so a clerk can
 * check it against the text. Exit 0 when it is valid, 1 when it is not (the file and field named).
 */
export function checkRuleSet(file: string, from: string | undefined, io: Out): number {
  const start: CalendarDate = from ?? shanghaiDate(new Date().toISOString());
  if (!isCalendarDate(start)) {
    io.err(`--from is a date YYYY-MM-DD (not ${from})`);
    return 2;
  }
  let ruleSet;
  try {
    ruleSet = parseRuleSet(readFileSync(file, 'utf8'), file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof RuleSetError) && typeof code !== 'string') throw error;
    io.err(error instanceof RuleSetError ? error.message : `Rule set ${file}: cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
    return 1;
  }
  const calendar = calendarFor(ruleSet, new ChineseDaysCalendar());
  io.out(JSON.stringify({ id: ruleSet.id, version: ruleSet.version, title: ruleSet.title, kinds: ruleSet.kinds, verification: ruleSet.verification ?? 'assumed', from: start }));
  for (const [step, rule] of Object.entries(ruleSet.steps) as [StepName, NonNullable<(typeof ruleSet.steps)[StepName]>][]) {
    const end = periodEnd(start, rule, calendar);
    const schedule = scheduleFor(end, ruleSet, calendar);
    io.out(
      JSON.stringify({
        step,
        counted: `${rule.duration} ${rule.unit} from ${rule.from}`,
        dueDate: schedule.dueDate,
        ...(schedule.warnAt === undefined ? {} : { warnFrom: shanghaiDate(schedule.warnAt) }),
        ...(schedule.provisional ? { provisional: true } : {}),
        source: sourceText(rule.source),
      }),
    );
  }
  // A complex item's reply, and the latest date an extension may reach, for an item assigned that day.
  if (ruleSet.complexReply) {
    const end = periodEnd(start, ruleSet.complexReply, calendar);
    io.out(JSON.stringify({ step: 'reply (complex item)', counted: `${ruleSet.complexReply.duration} ${ruleSet.complexReply.unit} from the reply's start`, dueDate: end.dueDate, source: sourceText(ruleSet.complexReply.source) }));
  }
  const reply = ruleSet.steps.reply;
  if (ruleSet.extension && reply) {
    const latest = extensionLimit(ruleSet, { startDate: start, originalDueDate: periodEnd(start, reply, calendar).dueDate }, calendar)!;
    io.out(
      JSON.stringify({
        step: 'reply extended (latest)',
        counted: ruleSet.extension.total ? `${ruleSet.extension.total.duration} ${ruleSet.extension.total.unit} in all` : `${ruleSet.extension.max!.duration} ${ruleSet.extension.max!.unit} beyond the reply's due date`,
        dueDate: latest.dueDate,
        ...(ruleSet.extension.consent ? { consentOf: ruleSet.extension.consent.by } : {}),
        source: sourceText(ruleSet.extension.source),
      }),
    );
  }
  return 0;
}
