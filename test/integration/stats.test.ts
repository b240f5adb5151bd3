import { beforeAll, expect, it } from 'vitest';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { strengthScore } from '@/server/analytics/scores';
import { createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
type Step = ['in' | 'out' | 'cc-in', string];

describeEachDriver('relationship stats', (db) => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createTestUser(db())).id;
  });

  async function contactWith(email: string, threads: Record<string, Step[]>, user = userId) {
    const [c] = await db().query<{ id: string }>(
      `INSERT INTO contacts (user_id, email) VALUES ($1, $2) RETURNING id`,
      [user, email],
    );
    for (const [thread, steps] of Object.entries(threads)) {
      for (const [kind, at] of steps) {
        await db().query(
          `INSERT INTO interactions (user_id, contact_id, type, direction, role, thread_id, occurred_at)
           VALUES ($1, $2, 'email', $3, $4, $5, $6)`,
          [
            user,
            c!.id,
            kind === 'out' ? 'outbound' : 'inbound',
            kind === 'in' ? 'from' : kind === 'out' ? 'to' : 'cc',
            `${email}:${thread}`,
            at,
          ],
        );
      }
    }
    return c!.id;
  }

  async function stats(id: string) {
    await recomputeStats(db().db, { userId, contactIds: [id], now: NOW });
    const [s] = await db().query<Record<string, unknown>>(
      `SELECT * FROM contact_stats WHERE contact_id = $1`,
      [id],
    );
    return s!;
  }

  it('counts mail each way with first and last dates; being cc’d on someone else’s mail is neither', async () => {
    const id = await contactWith('count@x.com', {
      a: [
        ['in', '2026-01-01T10:00Z'],
        ['out', '2026-01-02T10:00Z'],
        ['in', '2026-01-03T10:00Z'],
      ],
      b: [
        ['out', '2026-02-01T10:00Z'],
        ['in', '2026-02-02T10:00Z'],
        ['cc-in', '2026-02-03T10:00Z'],
      ],
    });
    const s = await stats(id);
    expect(s).toMatchObject({ emails_sent: 2, emails_received: 3, total_emails: 5 });
    expect(new Date(s.first_interaction_at as string).toISOString()).toBe(
      '2026-01-01T10:00:00.000Z',
    );
    expect(new Date(s.last_interaction_at as string).toISOString()).toBe(
      '2026-02-02T10:00:00.000Z',
    );
    expect(new Date(s.last_sent_at as string).toISOString()).toBe('2026-02-01T10:00:00.000Z');
  });

  it('pairs replies: one sample per answered run, from the earliest unanswered message; never across threads', async () => {
    const id = await contactWith('pair@x.com', {
      t: [
        ['in', '2026-03-01T10:00Z'],
        ['in', '2026-03-01T11:00Z'],
        ['out', '2026-03-01T13:00Z'], // answers both: 3 h from the earliest
        ['out', '2026-03-01T14:00Z'], // nothing left to answer
        ['in', '2026-03-01T20:00Z'], // their reply: 7 h after 13:00
        ['out', '2026-03-01T22:00Z'], // 2 h
      ],
      other1: [['in', '2026-03-05T10:00Z']],
      other2: [['out', '2026-03-05T11:00Z']], // a different thread: no pairing
    });
    const s = await stats(id);
    expect(s.my_reply_median_hours).toBeCloseTo(2.5, 5);
    expect(s.my_reply_mean_hours).toBeCloseTo(2.5, 5);
    expect(s.my_replied_threads).toBe(1);
    expect(s.their_reply_median_hours).toBeCloseTo(7, 5);
    expect(s.their_replied_threads).toBe(1);
  });

  it('orders clear-cut relationships by strength and caps one-way mail', async () => {
    const weekly = (n: number, endDaysAgo: number, pattern: ('in' | 'out')[]) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => {
          const t = NOW.getTime() - (endDaysAgo + i * 7) * DAY;
          return [
            `w${i}`,
            pattern.map((k, j) => [k, new Date(t + j * 3_600_000).toISOString()] as Step),
          ];
        }),
      );
    const close = await contactWith('close@x.com', weekly(12, 2, ['in', 'out']));
    const occasional = await contactWith('occasional@x.com', weekly(2, 200, ['out', 'in']));
    const oneWay = await contactWith('oneway@x.com', weekly(12, 2, ['in']));
    const [a, b, c] = [await stats(close), await stats(occasional), await stats(oneWay)];
    expect(a.strength_score as number).toBeGreaterThan(70);
    expect(a.strength_score as number).toBeGreaterThan(b.strength_score as number);
    expect(c.strength_score as number).toBeLessThanOrEqual(25);
    expect(a.frequency_score as number).toBeGreaterThan(b.frequency_score as number);
  });

  it('finds who is going cold: silence far beyond their usual gap, both ways', async () => {
    const cadence = (endDaysAgo: number) =>
      Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => {
          const t = NOW.getTime() - (endDaysAgo + i * 10) * DAY;
          return [
            `c${i}`,
            [
              ['in', new Date(t).toISOString()],
              ['out', new Date(t + 7_200_000).toISOString()],
            ] as Step[],
          ];
        }),
      );
    const cold = await contactWith('cold@x.com', cadence(120));
    const warm = await contactWith('warm@x.com', cadence(3));
    const s = await stats(cold);
    expect(s.going_cold).toBe(true);
    expect(s.cold_score as number).toBeGreaterThan(0);
    expect((await stats(warm)).going_cold).toBe(false);
  });

  it('measures rhythm between conversations, not between the messages of one', async () => {
    // Five threads two weeks apart, each a quick back-and-forth, and a second thread on the
    // first one's day.
    const threads: Record<string, Step[]> = {};
    for (let i = 0; i < 5; i++) {
      const t = NOW.getTime() - (10 + 14 * i) * DAY;
      threads[`r${i}`] = [0, 1, 2, 3].map(
        (h) => [h % 2 ? 'out' : 'in', new Date(t + h * 3_600_000).toISOString()] as Step,
      );
    }
    threads.same = [['out', new Date(NOW.getTime() - 10 * DAY + 8 * 3_600_000).toISOString()]];
    const s = await stats(await contactWith('rhythm@x.com', threads));
    expect(s.usual_gap_days).toBe(14);
    expect(s.conversations).toBe(6);
    // One conversation makes no rhythm.
    const once = await stats(
      await contactWith('once@x.com', {
        a: [
          ['in', '2026-05-01T10:00Z'],
          ['out', '2026-05-01T11:00Z'],
          ['in', '2026-05-01T12:00Z'],
        ],
      }),
    );
    expect(once.usual_gap_days).toBeNull();
    expect(once.conversations).toBe(1);
  });

  it('computes strength in SQL exactly as scores.ts defines it', async () => {
    const cases: Record<string, Step[]>[] = [
      { a: [['out', '2026-01-05T10:00Z']], b: [['out', '2026-03-05T10:00Z']] },
      {
        a: [
          ['in', '2025-06-05T10:00Z'],
          ['in', '2025-09-05T10:00Z'],
          ['in', '2026-05-30T10:00Z'],
        ],
      },
      {
        a: [
          ['in', '2025-11-05T10:00Z'],
          ['out', '2025-11-06T10:00Z'],
        ],
        b: [['out', '2026-04-01T10:00Z']],
      },
    ];
    for (const [i, threads] of cases.entries()) {
      const s = await stats(await contactWith(`formula${i}@x.com`, threads));
      const steps = Object.values(threads).flat();
      const last = Math.max(...steps.map(([, at]) => Date.parse(at)));
      const months = new Set(steps.map(([, at]) => at.slice(0, 7))).size;
      expect(s.active_months).toBe(months);
      expect(s.strength_score as number).toBeCloseTo(
        strengthScore({
          sent: steps.filter(([k]) => k === 'out').length,
          received: steps.filter(([k]) => k === 'in').length,
          activeMonths: months,
          daysSinceLast: (NOW.getTime() - last) / DAY,
        }),
        2,
      );
    }
  });

  it('scores mail from decades ago without numeric underflow', async () => {
    const id = await contactWith('ancient@x.com', {
      a: [
        ['in', '1975-01-01T00:00Z'],
        ['out', '1975-01-02T00:00Z'],
      ],
    });
    const s = await stats(id);
    expect(s.frequency_score).toBe(0);
    // Freshness has reached its floor: what is left is the depth of two messages in a month.
    expect(s.strength_score as number).toBeCloseTo(
      strengthScore({ sent: 1, received: 1, activeMonths: 1, daysSinceLast: 1e6 }),
      2,
    );
  });

  it('gives a contact without mail zeros, and recomputing is stable', async () => {
    const id = await contactWith('none@x.com', {});
    const s = await stats(id);
    expect(s).toMatchObject({
      emails_sent: 0,
      emails_received: 0,
      strength_score: 0,
      going_cold: false,
    });
    expect(await stats(id)).toEqual(s);
  });

  it('scores an archive as of its latest mail, not today', async () => {
    const archive = (await createTestUser(db())).id;
    // Weekly mail both ways through 2002: a close relationship, when the archive ends.
    const weeks = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => {
        const t = Date.UTC(2002, 11, 10) - i * 7 * DAY;
        return [
          `t${i}`,
          [
            ['in', new Date(t).toISOString()],
            ['out', new Date(t + 3_600_000).toISOString()],
          ] as Step[],
        ];
      }),
    );
    const id = await contactWith('old.friend@x.com', weeks, archive);
    const read = async () =>
      (
        await db().query<{ strength_score: number; going_cold: boolean; computed_at: Date }>(
          `SELECT strength_score, going_cold, computed_at FROM contact_stats WHERE contact_id = $1`,
          [id],
        )
      )[0]!;
    await recomputeStats(db().db, { userId: archive });
    const asOfEnd = await read();
    expect(asOfEnd.strength_score).toBeGreaterThan(70);
    expect(asOfEnd.going_cold).toBe(false);
    expect(new Date(asOfEnd.computed_at).toISOString()).toBe('2002-12-10T01:00:00.000Z');
    // Reckoned from today instead, its freshness would have decayed to the floor.
    await recomputeStats(db().db, { userId: archive, now: NOW });
    expect((await read()).strength_score).toBeCloseTo(asOfEnd.strength_score / 5, 0);
  });
});
