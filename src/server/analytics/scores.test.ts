import { describe, expect, it } from 'vitest';
import { explainStrength } from './explain-strength';
import {
  coldImportance,
  depth,
  freshness,
  frequencyScore,
  isGoingCold,
  strengthScore,
  THEIRS_ONLY_CAP,
} from './scores';

describe('relationship scores', () => {
  it('grows frequency with recent mail and stays within 0–100', () => {
    expect(frequencyScore(0)).toBe(0);
    expect(frequencyScore(8)).toBeCloseTo(63.2, 1);
    expect(frequencyScore(1000)).toBeLessThanOrEqual(100);
  });

  it('measures depth by volume and months with mail, neither alone making much', () => {
    expect(depth(0, 0)).toBe(0);
    expect(depth(10, 5)).toBeCloseTo(0.63, 2);
    expect(depth(2, 1)).toBeLessThan(0.2);
    // Forty messages in one month are less than forty spread over a year.
    expect(depth(40, 1)).toBeLessThan(depth(40, 12));
    expect(depth(500, 36)).toBeLessThanOrEqual(1);
  });

  it('halves freshness above its floor every 180 days', () => {
    expect(freshness(0)).toBe(1);
    expect(freshness(180)).toBeCloseTo(0.6);
    expect(freshness(10_000)).toBeCloseTo(0.2);
    expect(freshness(null)).toBe(0);
  });

  it('lets years of mail outweigh the last weeks of an archive', () => {
    const years = strengthScore({ sent: 20, received: 20, activeMonths: 18, daysSinceLast: 240 });
    const weeks = strengthScore({ sent: 1, received: 1, activeMonths: 1, daysSinceLast: 3 });
    expect(years).toBeGreaterThan(2 * weeks);
    // And the same years, still going, score higher than when they went quiet.
    expect(
      strengthScore({ sent: 20, received: 20, activeMonths: 18, daysSinceLast: 3 }),
    ).toBeGreaterThan(years);
  });

  it('counts the owner’s own writing as engagement, and keeps mail only to them weak', () => {
    const writes = strengthScore({ sent: 12, received: 0, activeMonths: 8, daysSinceLast: 30 });
    const both = strengthScore({ sent: 6, received: 6, activeMonths: 8, daysSinceLast: 30 });
    expect(writes).toBeCloseTo(0.8 * both);
    const newsletter = strengthScore({
      sent: 0,
      received: 200,
      activeMonths: 24,
      daysSinceLast: 1,
    });
    expect(newsletter).toBe(THEIRS_ONLY_CAP);
    expect(writes).toBeGreaterThan(newsletter);
  });

  it('ranks those going cold by how much the relationship mattered', () => {
    expect(coldImportance({ sent: 30, received: 30, activeMonths: 12 })).toBeGreaterThan(
      coldImportance({ sent: 3, received: 2, activeMonths: 2 }),
    );
  });

  it('calls a relationship cold only when the owner wrote and silence is far beyond its rhythm', () => {
    const base = { sent: 5, conversations: 6, usualGapDays: 7 };
    expect(isGoingCold({ ...base, daysSinceLast: 20 })).toBe(false); // under the 30-day floor
    expect(isGoingCold({ ...base, daysSinceLast: 40 })).toBe(true);
    expect(isGoingCold({ ...base, usualGapDays: 30, daysSinceLast: 80 })).toBe(false); // < 3 × 30
    expect(isGoingCold({ ...base, sent: 0, daysSinceLast: 400 })).toBe(false);
    expect(isGoingCold({ ...base, conversations: 2, daysSinceLast: 400 })).toBe(false);
  });
});

describe('explainStrength', () => {
  const now = new Date('2026-06-01T00:00:00Z');

  it('says why in words, with the number behind each factor', () => {
    const e = explainStrength(
      {
        emailsSent: 20,
        emailsReceived: 22,
        activeMonths: 9,
        firstInteractionAt: new Date('2025-08-01T00:00:00Z'),
        lastInteractionAt: new Date('2026-05-29T00:00:00Z'),
        myReplyMedianHours: 3,
        theirReplyMedianHours: 30,
        strengthScore: 78,
        goingCold: false,
        usualGapDays: 4,
        computedAt: now,
      },
      now,
    );
    expect(e.text).toBe(
      'strong because: 42 emails both ways (20 sent, 22 received), in 9 months with mail over 10 months, last 3 days ago, you reply within 3 h, they reply within 30 h',
    );
    expect(e.factors).toEqual([
      {
        name: 'Depth',
        value: 0.94,
        detail: '42 emails both ways (20 sent, 22 received), in 9 months with mail over 10 months',
      },
      { name: 'Freshness', value: 0.99, detail: 'last 3 days ago' },
      { name: 'Direction', value: 1, detail: 'mail goes both ways' },
    ]);
  });

  it('reckons an archive at its end, and says so', () => {
    const archive = explainStrength(
      {
        emailsSent: 12,
        emailsReceived: 0,
        activeMonths: 8,
        firstInteractionAt: new Date('2001-02-09T00:00:00Z'),
        lastInteractionAt: new Date('2002-05-07T00:00:00Z'),
        myReplyMedianHours: null,
        theirReplyMedianHours: null,
        strengthScore: 40,
        goingCold: true,
        usualGapDays: 21,
        computedAt: new Date('2002-12-10T00:00:00Z'),
      },
      now,
    );
    expect(archive.text).toBe(
      'moderate because: 12 emails from you, none back in your mail, in 8 months with mail over 15 months, last 7 months before your latest mail, going cold: you are usually in touch every 3 weeks (scored as of your latest mail, Dec 2002)',
    );
    expect(archive.notes).toEqual([
      'going cold: you are usually in touch every 3 weeks',
      'scored as of your latest mail, Dec 2002',
    ]);
    expect(archive.factors.map((f) => [f.name, f.value])).toEqual([
      ['Depth', 0.76],
      ['Freshness', 0.55],
      ['Direction', 0.8],
    ]);
  });

  it('calls mail only from them weak', () => {
    const e = explainStrength(
      {
        emailsSent: 0,
        emailsReceived: 5,
        activeMonths: 2,
        lastInteractionAt: new Date('2026-05-20T00:00:00Z'),
        myReplyMedianHours: null,
        theirReplyMedianHours: null,
        strengthScore: 12,
        goingCold: false,
        usualGapDays: null,
        computedAt: now,
      },
      now,
    );
    expect(e.text).toBe(
      'weak because: 5 emails from them, you never wrote back, in 2 months with mail, last 12 days ago, one-way mail to you counts as weak',
    );
  });
});
