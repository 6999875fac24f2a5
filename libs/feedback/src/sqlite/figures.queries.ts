import type Database from 'better-sqlite3';

/** Per unit: assigned, replied, on time, contacted, rated, and the rates of these (FIGURES_PROJECTION's rows). */
export function unitFigures(db: Database.Database, query: { session?: string; unit?: string }) {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.session) (where.push('session = @session'), (params.session = query.session));
  if (query.unit) (where.push('unit_id = @unit'), (params.unit = query.unit));
  const rows = db
    .prepare(
      `SELECT unit_id,
         count(*) AS assigned, sum(replying) AS replying, sum(replied) AS replied, sum(replied_on_time) AS replied_on_time,
         sum(contacted) AS contacted, sum(role = 'lead') AS leading, sum(evaluated) AS evaluated,
         coalesce(sum(satisfaction = 'satisfied'), 0) AS satisfied, coalesce(sum(satisfaction = 'basically-satisfied'), 0) AS basically_satisfied,
         coalesce(sum(satisfaction = 'unsatisfied'), 0) AS unsatisfied,
         coalesce(sum(result_class = 'A'), 0) AS a, coalesce(sum(result_class = 'B'), 0) AS b,
         coalesce(sum(result_class = 'C'), 0) AS c, coalesce(sum(result_class = 'D'), 0) AS d
       FROM rm_unit_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY unit_id ORDER BY unit_id`,
    )
    .all(params) as Record<string, number & string>[];
  const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
  return rows.map((r) => ({
    unitId: r.unit_id,
    assigned: r.assigned,
    replied: r.replied,
    repliedOnTime: r.replied_on_time,
    contacted: r.contacted,
    evaluated: r.evaluated,
    satisfied: r.satisfied,
    basicallySatisfied: r.basically_satisfied,
    unsatisfied: r.unsatisfied,
    replyRate: rate(r.replied, r.replying),
    onTimeRate: rate(r.replied_on_time, r.replied),
    contactRate: rate(r.contacted, r.leading),
    satisfactionRate: rate(r.satisfied + r.basically_satisfied, r.evaluated),
    classShares: { A: rate(r.a, r.replied), B: rate(r.b, r.replied), C: rate(r.c, r.replied), D: rate(r.d, r.replied) },
  }));
}

/** The published replies, newest first: their public versions only. */
export function publicReplies(db: Database.Database, page: number, pageSize: number) {
  const total = (db.prepare('SELECT count(*) AS n FROM rm_public_replies').get() as { n: number }).n;
  const items = (db.prepare('SELECT * FROM rm_public_replies ORDER BY dispatched_at DESC, proposal_id, unit_id LIMIT ? OFFSET ?').all(pageSize, (page - 1) * pageSize) as Record<string, unknown>[]).map((r) => ({
    proposalId: r.proposal_id,
    unitId: r.unit_id,
    round: r.round,
    kind: r.kind,
    session: r.session,
    number: r.number,
    title: r.title,
    documentNumber: r.document_number,
    resultClass: r.result_class,
    body: r.body,
    dispatchedAt: r.dispatched_at,
  }));
  return { items, page, pageSize, total };
}
