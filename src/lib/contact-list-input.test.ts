import { describe, expect, it } from 'vitest';
import { contactListInput, lastRange, readContactListParams } from './contact-list-input';

describe('the contacts list URL as a query', () => {
  it('reads every filter, the sort and the page from the URL', () => {
    const input = contactListInput(
      readContactListParams(
        new URLSearchParams(
          'q=ada&sort=name&dir=asc&show=robots&company=Acme&tag=vip&min=20&max=80&page=3',
        ),
      ),
    );
    expect(input).toEqual({
      search: 'ada',
      scope: 'robots',
      sort: 'name',
      direction: 'asc',
      limit: 50,
      offset: 150,
      company: 'Acme',
      tag: 'vip',
      minStrength: 20,
      maxStrength: 80,
    });
  });

  it('falls back to the defaults on a bare or mangled URL', () => {
    const input = contactListInput(
      readContactListParams(new URLSearchParams('sort=bogus&dir=up&page=-4&min=abc')),
    );
    expect(input).toMatchObject({ sort: 'strength', direction: undefined, offset: 0 });
    expect(input.minStrength).toBeUndefined();
    expect(input.scope).toBe('people');
  });

  it('shows the network by default, searches everyone human from there, and reads the older robots=1', () => {
    const scope = (q: string) =>
      contactListInput(readContactListParams(new URLSearchParams(q))).scope;
    expect(scope('')).toBe('people');
    expect(scope('q=cora')).toBe('humans');
    expect(scope('show=seen&q=cora')).toBe('seen');
    expect(scope('robots=1')).toBe('all');
  });

  it('keeps the "last email" range still within a day, so the query does not change per render', () => {
    const morning = Date.UTC(2026, 10, 25, 8, 0, 0);
    const evening = Date.UTC(2026, 10, 25, 20, 30, 0);
    expect(lastRange('30d', morning)).toEqual(lastRange('30d', evening));
    expect(lastRange('30d', morning).lastAfter?.toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(lastRange('old365', morning).lastBefore?.toISOString()).toBe('2025-11-25T00:00:00.000Z');
    expect(lastRange('', morning)).toEqual({});
  });
});
