import type Database from 'better-sqlite3';

export interface ListQuery {
  status?: string;
  unit?: string;
  session?: string;
  overdue?: boolean;
  page: number;
  pageSize: number;
  /** Handlers and signers see their unit's items; proposers the items naming them. */
  scope?: { unit?: string; proposerId?: string };
}

/** A page of items, newest first, with the filters and the caller's scope (ITEMS_PROJECTION's rows). */
export function listItems(db: Database.Database, query: ListQuery, now: Date) {
  const where: string[] = [];
  const params: Record<string, unknown> = { now: now.toISOString(), limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
  if (query.status) (where.push('p.status = @status'), (params.status = query.status));
  if (query.session) (where.push('p.session = @session'), (params.session = query.session));
  if (query.unit) (where.push('EXISTS (SELECT 1 FROM rm_item_units u WHERE u.proposal_id = p.proposal_id AND u.unit_id = @unit)'), (params.unit = query.unit));
  if (query.scope?.unit !== undefined) {
    where.push('EXISTS (SELECT 1 FROM rm_item_units u WHERE u.proposal_id = p.proposal_id AND u.unit_id = @scopeUnit)');
    params.scopeUnit = query.scope.unit;
  }
  if (query.scope?.proposerId !== undefined) {
    where.push('EXISTS (SELECT 1 FROM rm_item_proposers x WHERE x.proposal_id = p.proposal_id AND x.proposer_id = @proposerId)');
    params.proposerId = query.scope.proposerId;
  }
  // Overdue: a step the item owes (the proposer's evaluation window aside) is past its due instant.
  const overdue = '(p.owed_due_at IS NOT NULL AND p.owed_due_at <= @now)';
  if (query.overdue !== undefined) where.push(query.overdue ? overdue : `NOT ${overdue}`);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM rm_proposals p ${filter}`).get(params) as { n: number }).n;
  const rows = db.prepare(`SELECT p.*, ${overdue} AS overdue FROM rm_proposals p ${filter} ORDER BY p.submitted_at DESC, p.proposal_id LIMIT @limit OFFSET @offset`).all(params) as Record<string, unknown>[];
  return {
    items: rows.map((r) => ({
      id: r.proposal_id,
      kind: r.kind,
      session: r.session,
      number: r.number,
      title: r.title,
      status: r.status,
      revision: r.revision,
      submittedAt: r.submitted_at,
      units: JSON.parse(r.units as string),
      overdue: r.overdue === 1,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}
