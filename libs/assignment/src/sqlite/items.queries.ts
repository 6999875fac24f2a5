import { deadlineLight, type DeadlineLight, type Satisfaction } from '@banli/domain';
import type Database from 'better-sqlite3';

/** What an item waits for, as a workbench counts it (the domain's `awaitingOf`, stored per unit and per proposer by ITEMS_PROJECTION). */
export const AWAITING = ['acknowledgement', 'adjustment', 'signature', 'review', 'dispatch', 'rating'] as const;
export type Awaiting = (typeof AWAITING)[number];

export const LIST_SORTS = ['submitted', '-submitted', 'number', '-number', 'due', '-due'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export interface ListQuery {
  status?: string;
  unit?: string;
  session?: string;
  kind?: string;
  /** The item's number, or the start of it. */
  number?: string;
  overdue?: boolean;
  light?: DeadlineLight;
  rating?: Satisfaction | 'rated' | 'unrated';
  /** Words in the title or the number. */
  text?: string;
  awaiting?: Awaiting;
  sort?: ListSort;
  page: number;
  pageSize: number;
  /** Handlers and signers see their unit's items; proposers the items naming them. */
  scope?: { unit?: string; proposerId?: string };
}

const ORDER: Record<ListSort, string> = {
  submitted: 'p.submitted_at ASC, p.proposal_id',
  '-submitted': 'p.submitted_at DESC, p.proposal_id',
  // By session, then by the number's digits (numberKey), so 第〔2〕号 comes before 第〔15〕号.
  number: 'p.session, p.number_key, p.number, p.proposal_id',
  '-number': 'p.session DESC, p.number_key DESC, p.number DESC, p.proposal_id',
  // Items owing nothing go last either way.
  due: 'p.owed_due_at IS NULL, p.owed_due_at ASC, p.proposal_id',
  '-due': 'p.owed_due_at IS NULL, p.owed_due_at DESC, p.proposal_id',
};

/** The caller's text for `LIKE … ESCAPE '\\'`, taken literally (no `%` or `_` wildcards of theirs). */
function literal(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page of items with the filters and the caller's scope (ITEMS_PROJECTION's rows), newest first unless sorted otherwise. */
export function listItems(db: Database.Database, query: ListQuery, now: Date) {
  const where: string[] = [];
  const params: Record<string, unknown> = { now: now.toISOString(), limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  if (query.status) (where.push('p.status = @status'), (params.status = query.status));
  if (query.session) (where.push('p.session = @session'), (params.session = query.session));
  if (query.kind) (where.push('p.kind = @kind'), (params.kind = query.kind));
  if (query.number) (where.push("p.number LIKE @number ESCAPE '\\'"), (params.number = `${literal(query.number)}%`));
  if (query.text) (where.push("(p.title LIKE @text ESCAPE '\\' OR p.number LIKE @text ESCAPE '\\')"), (params.text = `%${literal(query.text)}%`));
  if (query.rating === 'unrated') where.push('p.rating IS NULL');
  else if (query.rating === 'rated') where.push('p.rating IS NOT NULL');
  else if (query.rating) (where.push('p.rating = @rating'), (params.rating = query.rating));
  if (query.awaiting === 'rating') {
    // A proposer's queue is its own ratings; everyone else's, any counted rating still to come.
    const own = query.scope?.proposerId;
    if (own !== undefined) params.rater = own;
    where.push(`EXISTS (SELECT 1 FROM rm_item_proposers r WHERE r.proposal_id = p.proposal_id AND r.awaiting_rating = 1${own === undefined ? '' : ' AND r.proposer_id = @rater'})`);
  } else if (query.awaiting) {
    // A unit's handler or signer asks of its own unit only, whatever `unit` says.
    const unit = query.scope?.unit ?? query.unit;
    if (unit !== undefined) params.awaitingUnit = unit;
    params.awaitingWord = `,${query.awaiting},`;
    where.push(`EXISTS (SELECT 1 FROM rm_item_units w WHERE w.proposal_id = p.proposal_id AND instr(w.awaiting, @awaitingWord) > 0${unit === undefined ? '' : ' AND w.unit_id = @awaitingUnit'})`);
  }
  // A unit's or a proposer's items are found from their own index (a few hundred rows), not by testing every item.
  if (query.unit) (where.push('p.proposal_id IN (SELECT proposal_id FROM rm_item_units WHERE unit_id = @unit)'), (params.unit = query.unit));
  if (query.scope?.unit !== undefined) {
    where.push('p.proposal_id IN (SELECT proposal_id FROM rm_item_units WHERE unit_id = @scopeUnit)');
    params.scopeUnit = query.scope.unit;
  }
  if (query.scope?.proposerId !== undefined) {
    where.push('p.proposal_id IN (SELECT proposal_id FROM rm_item_proposers WHERE proposer_id = @proposerId)');
    params.proposerId = query.scope.proposerId;
  }
  // Overdue: a step the item owes (the proposer's evaluation window aside) is past its due instant.
  const overdue = '(p.owed_due_at IS NOT NULL AND p.owed_due_at <= @now)';
  if (query.overdue !== undefined) where.push(query.overdue ? overdue : `NOT ${overdue}`);
  // The light as the domain's `deadlineLight` reads the same two instants.
  const warned = '(p.owed_warn_at IS NOT NULL AND p.owed_warn_at <= @now)';
  if (query.light === 'red') where.push(overdue);
  if (query.light === 'yellow') where.push(`NOT ${overdue} AND ${warned}`);
  if (query.light === 'green') where.push(`p.owed_due_at IS NOT NULL AND NOT ${overdue} AND NOT ${warned}`);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM rm_proposals p ${filter}`).get(params) as { n: number }).n;
  // Text and number match few items: sorting those few beats walking the whole submitted_at index to find them.
  const selective = query.text !== undefined || query.number !== undefined;
  const order = selective ? ORDER[query.sort ?? '-submitted'].replace(/^p\./, '+p.') : ORDER[query.sort ?? '-submitted'];
  // Counting uses the due-date index; a page sorted otherwise walks its sort's index and stops at the page,
  // rather than gather every overdue item to sort them (unary + keeps the planner off that index).
  const sortsByDue = (query.sort ?? '').endsWith('due');
  const pageFilter = sortsByDue ? filter : filter.replaceAll('p.owed_due_at', '+p.owed_due_at').replaceAll('p.owed_warn_at', '+p.owed_warn_at');
  const rows = db.prepare(`SELECT p.* FROM rm_proposals p ${pageFilter} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all(params) as Record<string, unknown>[];
  return {
    items: rows.map((r) => ({
      id: r.proposal_id as string,
      kind: r.kind as string,
      session: r.session as string,
      number: r.number as string,
      title: r.title as string,
      status: r.status as string,
      revision: r.revision as number,
      submittedAt: r.submitted_at as string,
      units: JSON.parse(r.units as string) as { unitId: string; role: string }[],
      overdue: r.owed_due_at !== null && (r.owed_due_at as string) <= (params.now as string),
      ...(r.owed_due_at === null ? {} : { owedDueAt: r.owed_due_at as string }),
      ...(r.rating === null ? {} : { rating: r.rating as string }),
      ...lightOf(r, params.now as string),
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

function lightOf(row: Record<string, unknown>, now: string): { light?: DeadlineLight } {
  const light = deadlineLight((row.owed_due_at as string | null) ?? undefined, (row.owed_warn_at as string | null) ?? undefined, now);
  return light === undefined ? {} : { light };
}
