/** The scoring rules of `../shared/data/labels/README.md` for assistant questions. */
export type Expectation =
  | { contacts_first: string }
  | { contacts_include: string[]; k: number }
  | { contacts_set: string[] }
  | { value: number }
  | { datetime: string };

export type Got = { contacts: string[]; value: number | null; datetime: string | null };

const lower = (s: string) => s.trim().toLowerCase();

export function f1(got: string[], expected: string[]) {
  const g = new Set(got.map(lower));
  const e = new Set(expected.map(lower));
  if (g.size === 0 && e.size === 0) return 1;
  const hits = [...g].filter((x) => e.has(x)).length;
  if (hits === 0) return 0;
  const precision = hits / g.size;
  const recall = hits / e.size;
  return (2 * precision * recall) / (precision + recall);
}

const DAY_MS = 24 * 3600 * 1000;

/** True when an answer meets its expectation. */
export function scoreAnswer(expect: Expectation, got: Got): boolean {
  if ('contacts_first' in expect)
    return got.contacts.length > 0 && lower(got.contacts[0]!) === lower(expect.contacts_first);
  if ('contacts_include' in expect) {
    const top = new Set(got.contacts.slice(0, expect.k).map(lower));
    return expect.contacts_include.every((e) => top.has(lower(e)));
  }
  if ('contacts_set' in expect) return f1(got.contacts, expect.contacts_set) >= 0.8;
  if ('value' in expect) return got.value !== null && Number(got.value) === Number(expect.value);
  if ('datetime' in expect) {
    if (!got.datetime) return false;
    const a = Date.parse(got.datetime);
    const b = Date.parse(expect.datetime);
    return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= DAY_MS;
  }
  throw new Error(`Unknown expectation ${JSON.stringify(expect)}`);
}
