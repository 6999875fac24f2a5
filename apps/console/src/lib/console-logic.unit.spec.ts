import { describe, expect, it } from 'vitest';
import { forEachItem } from './batch';
import { dayAndTime, dayOf, dueDayOf, weekdayOf, workingDaysPhrase } from './dates';
import { parseCommitments, parseProposers, pickRuleSet, splitList, unitTree } from './forms';
import { problemLine, readableProblem } from './problem-text';
import { addView, filtersFromQuery, queryFromFilters } from './list-query';

describe('dates as Chinese offices read them', () => {
  it('an instant is shown as its Beijing day, in ISO order', () => {
    expect(dayOf('2025-12-25T16:30:00.000Z')).toBe('2025-12-26');
    expect(dayOf('2025-12-26')).toBe('2025-12-26');
    expect(dayAndTime('2025-12-25T16:30:00.000Z')).toBe('2025-12-26 00:30');
  });

  it('a due instant (24:00 Beijing of its date) is shown as its own date, not the next day', () => {
    expect(dueDayOf('2027-03-05T16:00:00.000Z')).toBe('2027-03-05');
    expect(dueDayOf('2027-03-05T10:00:00.000Z')).toBe('2027-03-05');
  });

  it('the weekday of a day, and the words beside a deadline', () => {
    expect(weekdayOf('2025-12-26')).toBe(5);
    expect(workingDaysPhrase(5, '2025-12-31', '2025-12-24')).toEqual({ key: 'deadline.left', n: 5 });
    // Saturday, a Monday deadline: one working day left, not "due today".
    expect(workingDaysPhrase(1, '2025-12-29', '2025-12-27')).toEqual({ key: 'deadline.left', n: 1 });
    expect(workingDaysPhrase(1, '2025-12-26', '2025-12-26')).toEqual({ key: 'deadline.today', n: 0 });
    // Saturday, a Friday deadline: past due by no working day yet, still past due.
    expect(workingDaysPhrase(0, '2025-12-26', '2025-12-27')).toEqual({ key: 'deadline.pastDue', n: 0 });
    expect(workingDaysPhrase(-3, '2025-12-26', '2025-12-31')).toEqual({ key: 'deadline.overdue', n: 3 });
    expect(workingDaysPhrase(undefined)).toBeUndefined();
  });
});

describe('the list’s filters in the URL', () => {
  it('reads known values and drops the rest, so nothing unknown is sent on', () => {
    const filters = filtersFromQuery({ status: 'assigned', kind: 'bogus', light: 'red', rating: 'unrated', q: ' 养老 ', page: '3', pageSize: '7', sort: 'due', session: ['七届三次', 'x'] });
    expect(filters).toEqual({ status: 'assigned', light: 'red', rating: 'unrated', q: '养老', page: 3, pageSize: 20, sort: 'due', session: '七届三次' });
  });

  it('writes a short stable query (defaults left out) that reads back the same', () => {
    const filters = filtersFromQuery({ status: 'replied', unit: 'ct-minzheng', page: '1', sort: '-submitted', pageSize: '50' });
    const query = queryFromFilters(filters);
    expect(query).toEqual({ status: 'replied', unit: 'ct-minzheng', pageSize: '50' });
    expect(filtersFromQuery(query)).toEqual(filters);
  });

  it('a saved view replaces one of the same name, keeps no page, and keeps at most 20', () => {
    let views = addView([], '养老', { q: '养老', page: '4' });
    views = addView(views, '养老', { q: '养老服务' });
    expect(views).toEqual([{ name: '养老', query: { q: '养老服务' } }]);
    expect(addView(views, '   ', { q: 'x' })).toEqual(views);
    for (let i = 0; i < 30; i++) views = addView(views, `v${i}`, {});
    expect(views).toHaveLength(20);
    expect(views.at(-1)!.name).toBe('v29');
  });
});

describe('what a clerk types, as the API takes it', () => {
  it('proposers one per line; the first is the lead when none is marked', () => {
    expect(parseProposers('member-liu-anze|刘安泽|领衔\nmember-xu-lijuan|徐丽娟\n\n')).toEqual([
      { id: 'member-liu-anze', name: '刘安泽', lead: true },
      { id: 'member-xu-lijuan', name: '徐丽娟', lead: false },
    ]);
    expect(parseProposers('a|甲\nb|乙').map((p) => p.lead)).toEqual([true, false]);
  });

  it('commitments with a due date, CC lists written with 、 or commas', () => {
    expect(parseCommitments('建成心理辅导站20个|2025-12-31\n无期限的事项')).toEqual([
      { description: '建成心理辅导站20个', dueDate: '2025-12-31' },
      { description: '无期限的事项', dueDate: '' },
    ]);
    expect(splitList('区委办、区政府办，区政协, 区人大')).toEqual(['区委办', '区政府办', '区政协', '区人大']);
  });

  it('units group under their jurisdiction’s prefix; a lone unit stands alone', () => {
    const tree = unitTree([
      { unitId: 'ct-minzheng', name: '区民政局' },
      { unitId: 'ct-sifa', name: '区司法局' },
      { unitId: 'py-minzheng', name: '濮阳市民政局' },
    ]);
    expect(tree).toEqual([
      { value: 'group:ct', label: 'ct（2）', disabled: true, children: [{ value: 'ct-minzheng', label: '区民政局' }, { value: 'ct-sifa', label: '区司法局' }] },
      { value: 'py-minzheng', label: '濮阳市民政局' },
    ]);
  });
});

describe('a batch of commands', () => {
  it('goes on past a refusal and reports each item’s outcome, in order', async () => {
    const seen: number[] = [];
    const outcomes = await forEachItem(
      ['a', 'b', 'c'],
      async (id) => {
        if (id === 'b') throw Object.assign(new Error('b is closed'), { code: 'INVALID_TRANSITION' });
      },
      (n) => seen.push(n),
    );
    expect(outcomes).toEqual([{ id: 'a', ok: true }, { id: 'b', ok: false, code: 'INVALID_TRANSITION', detail: 'b is closed' }, { id: 'c', ok: true }]);
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('a refusal in words, and the rule set an assignment starts with', () => {
  it('the code’s meaning first, the service’s sentence beside; the sentence alone where the code has none', () => {
    const meaning = (code: string) => ({ COMMENT_REQUIRED: '请填写意见或理由' })[code];
    expect(readableProblem({ code: 'COMMENT_REQUIRED', message: 'An unsatisfied rating must give its reasons' }, meaning)).toEqual({ title: '请填写意见或理由', detail: 'An unsatisfied rating must give its reasons', code: 'COMMENT_REQUIRED' });
    expect(readableProblem({ code: 'SOMETHING_NEW', message: 'New words' }, meaning)).toEqual({ title: 'New words', code: 'SOMETHING_NEW' });
    expect(readableProblem(new Error('network down'), meaning)).toEqual({ title: 'network down' });
    expect(problemLine({ title: '请填写意见或理由', detail: 'An unsatisfied rating must give its reasons' })).toBe('请填写意见或理由（An unsatisfied rating must give its reasons）');
    expect(problemLine({ title: 'network down', detail: 'network down' })).toBe('network down');
  });

  it('the default set where it governs the kind, else the first that does', () => {
    const sets = [
      { id: 'cq-npc-2017', kinds: ['npc-suggestion'] },
      { id: 'cppcc-generic', kinds: ['cppcc-proposal'] },
      { id: 'sc-gov-2024', kinds: ['cppcc-proposal'] },
    ];
    expect(pickRuleSet(sets, 'cq-npc-2017', 'npc-suggestion')).toBe('cq-npc-2017');
    expect(pickRuleSet(sets, 'cq-npc-2017', 'cppcc-proposal')).toBe('cppcc-generic');
    expect(pickRuleSet(sets, 'sc-gov-2024', 'cppcc-proposal')).toBe('sc-gov-2024');
    expect(pickRuleSet(sets, 'cq-npc-2017', 'petition')).toBeUndefined();
  });
});
