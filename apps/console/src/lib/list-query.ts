/** The item list's filters as they live in the URL (shareable, bookmarkable) and as the API takes them. */

export const STATUSES = ['submitted', 'accepted', 'rejected', 'merged', 'assigned', 'replied', 'rehandling', 'closed', 'withdrawn'] as const;
export const KINDS = ['npc-suggestion', 'cppcc-proposal'] as const;
export const LIGHTS = ['red', 'yellow', 'green'] as const;
export const RATINGS = ['satisfied', 'basically-satisfied', 'unsatisfied', 'rated', 'unrated'] as const;
export const SORTS = ['-submitted', 'submitted', 'number', '-number', 'due', '-due'] as const;

export interface ListFilters {
  number?: string;
  session?: string;
  kind?: (typeof KINDS)[number];
  status?: (typeof STATUSES)[number];
  unit?: string;
  light?: (typeof LIGHTS)[number];
  rating?: (typeof RATINGS)[number];
  q?: string;
  sort?: (typeof SORTS)[number];
  page: number;
  pageSize: number;
}

const TEXT_FIELDS = ['number', 'session', 'unit', 'q'] as const;
export const PAGE_SIZES = [20, 50, 100] as const;

type Query = Record<string, unknown>;

function first(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  const v = first(value);
  return v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** Reads the filters from a route's query; what is not a known value is dropped, never sent on. */
export function filtersFromQuery(query: Query): ListFilters {
  const filters: ListFilters = { page: 1, pageSize: 20 };
  for (const field of TEXT_FIELDS) {
    const v = first(query[field]);
    if (v !== undefined) filters[field] = v.slice(0, field === 'q' ? 100 : 50);
  }
  const kind = oneOf(query.kind, KINDS);
  const status = oneOf(query.status, STATUSES);
  const light = oneOf(query.light, LIGHTS);
  const rating = oneOf(query.rating, RATINGS);
  const sort = oneOf(query.sort, SORTS);
  if (kind) filters.kind = kind;
  if (status) filters.status = status;
  if (light) filters.light = light;
  if (rating) filters.rating = rating;
  if (sort && sort !== '-submitted') filters.sort = sort;
  const page = Number(first(query.page));
  if (Number.isInteger(page) && page >= 1 && page <= 100_000) filters.page = page;
  const size = Number(first(query.pageSize));
  if ((PAGE_SIZES as readonly number[]).includes(size)) filters.pageSize = size;
  return filters;
}

/** The filters as a route query: defaults left out, so a shared link is short and stable. */
export function queryFromFilters(filters: ListFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === '') continue;
    if (key === 'page' && value === 1) continue;
    if (key === 'pageSize' && value === 20) continue;
    if (key === 'sort' && value === '-submitted') continue;
    query[key] = String(value);
  }
  return query;
}

/** Saved views: a name and the query it opens, kept per user in this browser. */
export interface SavedView {
  name: string;
  query: Record<string, string>;
}

export function addView(views: readonly SavedView[], name: string, query: Record<string, string>): SavedView[] {
  const trimmed = name.trim().slice(0, 40);
  if (trimmed === '') return [...views];
  const { page: _page, ...rest } = query;
  return [...views.filter((v) => v.name !== trimmed), { name: trimmed, query: rest }].slice(-20);
}
