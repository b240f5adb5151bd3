import { describe, expect, it } from 'vitest';
import { f1, scoreAnswer } from './ask-scorer';

const got = (contacts: string[], value: number | null = null, datetime: string | null = null) => ({
  contacts,
  value,
  datetime,
});

describe('ask scorer', () => {
  it('contacts_first compares the first contact only, ignoring case', () => {
    expect(scoreAnswer({ contacts_first: 'a@x.com' }, got(['A@x.com', 'b@x.com']))).toBe(true);
    expect(scoreAnswer({ contacts_first: 'a@x.com' }, got(['b@x.com', 'a@x.com']))).toBe(false);
    expect(scoreAnswer({ contacts_first: 'a@x.com' }, got([]))).toBe(false);
  });

  it('contacts_include needs all of them among the first k', () => {
    const e = { contacts_include: ['a@x', 'b@x'], k: 3 };
    expect(scoreAnswer(e, got(['b@x', 'c@x', 'a@x']))).toBe(true);
    expect(scoreAnswer(e, got(['b@x', 'c@x', 'd@x', 'a@x']))).toBe(false);
  });

  it('contacts_set passes at F1 >= 0.8', () => {
    expect(f1(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(scoreAnswer({ contacts_set: ['a', 'b', 'c', 'd'] }, got(['a', 'b', 'c']))).toBe(true); // F1 0.857
    expect(scoreAnswer({ contacts_set: ['a', 'b'] }, got(['a', 'c']))).toBe(false); // F1 0.5
    expect(scoreAnswer({ contacts_set: ['a', 'b'] }, got([]))).toBe(false);
  });

  it('value is exact', () => {
    expect(scoreAnswer({ value: 14 }, got([], 14))).toBe(true);
    expect(scoreAnswer({ value: 14 }, got([], 13))).toBe(false);
    expect(scoreAnswer({ value: 0 }, got([], null))).toBe(false);
  });

  it('datetime is within 24 hours either way, whatever the offsets', () => {
    const e = { datetime: '2001-05-04T15:18:00-07:00' };
    expect(scoreAnswer(e, got([], null, '2001-05-04T22:18:00.000Z'))).toBe(true);
    expect(scoreAnswer(e, got([], null, '2001-05-05T22:17:00.000Z'))).toBe(true);
    expect(scoreAnswer(e, got([], null, '2001-05-05T22:19:00.000Z'))).toBe(false);
    expect(scoreAnswer(e, got([], null, null))).toBe(false);
  });
});
