/**
 * The contacts list's URL state (?q, show, sort, dir, company, tag, min, max, last, page) as
 * the `contacts.list` input. One function for the table (client) and the page's prefetch
 * (server): the same URL gives the same query key on both sides.
 */
export const CONTACTS_PAGE_SIZE = 50;
export const CONTACT_SORTS = ['strength', 'name', 'company', 'last', 'emails'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
/**
 * Whom the list shows (?show): the people of the owner's network by default; those only seen
 * on others' mail; lists and robots; everyone. (The older ?robots=1 is everyone.)
 */
export const CONTACT_SHOWS = ['people', 'seen', 'robots', 'all'] as const;
export type ContactShow = (typeof CONTACT_SHOWS)[number];

type Params = { get(name: string): string | null };

const DAY = 86_400_000;

/**
 * The "last email" filter as a date range, measured from the start of today (UTC) so the range
 * (and the query key) stays put between renders instead of moving every millisecond.
 */
export function lastRange(v: string, now = Date.now()): { lastAfter?: Date; lastBefore?: Date } {
  const today = Math.floor(now / DAY) * DAY;
  switch (v) {
    case '30d':
      return { lastAfter: new Date(today - 30 * DAY) };
    case '90d':
      return { lastAfter: new Date(today - 90 * DAY) };
    case 'old90':
      return { lastBefore: new Date(today - 90 * DAY) };
    case 'old365':
      return { lastBefore: new Date(today - 365 * DAY) };
    default:
      return {};
  }
}

export function readContactListParams(params: Params) {
  const num = (name: string) => {
    const raw = params.get(name);
    const n = raw ? Number(raw) : NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  const dir = params.get('dir');
  return {
    search: params.get('q') ?? '',
    page: Math.max(0, Math.floor(num('page') ?? 0)),
    sort: (CONTACT_SORTS.find((x) => x === params.get('sort')) ?? 'strength') as ContactSort,
    direction: dir === 'asc' ? ('asc' as const) : dir === 'desc' ? ('desc' as const) : undefined,
    show: (CONTACT_SHOWS.find((x) => x === params.get('show')) ??
      (params.get('robots') === '1' ? 'all' : 'people')) as ContactShow,
    company: params.get('company') ?? '',
    tag: params.get('tag') ?? '',
    minStrength: num('min'),
    maxStrength: num('max'),
    last: params.get('last') ?? '',
  };
}

export function contactListInput(state: ReturnType<typeof readContactListParams>) {
  return {
    search: state.search || undefined,
    // A search of the network finds the people only seen on others' mail too (marked so).
    scope: state.show === 'people' && state.search ? ('humans' as const) : state.show,
    sort: state.sort,
    direction: state.direction,
    limit: CONTACTS_PAGE_SIZE,
    offset: state.page * CONTACTS_PAGE_SIZE,
    company: state.company || undefined,
    tag: state.tag || undefined,
    minStrength: state.minStrength,
    maxStrength: state.maxStrength,
    ...lastRange(state.last),
  };
}
