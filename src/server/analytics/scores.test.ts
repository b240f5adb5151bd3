import { describe, expect, it } from 'vitest';
import { explainStrength } from './explain-strength';
import { frequencyScore, isGoingCold, reciprocity, recencyScore, strengthScore } from './scores';

describe('relationship scores', () => {
  it('grows frequency with recent mail and stays within 0–100', () => {
    expect(frequencyScore(0)).toBe(0);
    expect(frequencyScore(8)).toBeCloseTo(63.2, 1);
    expect(frequencyScore(1000)).toBeLessThanOrEqual(100);
  });

  it('halves recency every 60 days', () => {
    expect(recencyScore(0)).toBe(100);
    expect(recencyScore(60)).toBeCloseTo(50);
    expect(recencyScore(null)).toBe(0);
  });

  it('scores reciprocity by balance and caps one-way strength', () => {
    expect(reciprocity(5, 5)).toBe(1);
    expect(reciprocity(10, 0)).toBe(0);
    expect(strengthScore({ frequency: 100, daysSinceLast: 0, sent: 0, received: 50 })).toBe(25);
    expect(strengthScore({ frequency: 100, daysSinceLast: 0, sent: 25, received: 25 })).toBeCloseTo(
      100,
    );
  });

  it('calls a balanced relationship cold only when silence is far beyond its usual gap', () => {
    const base = { sent: 5, received: 5, usualGapDays: 7 };
    expect(isGoingCold({ ...base, daysSinceLast: 20 })).toBe(false); // under the 30-day floor
    expect(isGoingCold({ ...base, daysSinceLast: 40 })).toBe(true);
    expect(isGoingCold({ ...base, sent: 0, daysSinceLast: 400 })).toBe(false);
  });

  it('explains a score in words', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const e = explainStrength(
      {
        emailsSent: 20,
        emailsReceived: 22,
        lastInteractionAt: new Date('2026-05-29T00:00:00Z'),
        myReplyMedianHours: 3,
        theirReplyMedianHours: 30,
        strengthScore: 78,
        goingCold: false,
        usualGapDays: 4,
      },
      now,
    );
    expect(e.text).toBe(
      'strong because: 42 emails both ways (20 sent, 22 received), last 3 days ago, you reply within 3 h, they reply within 30 h',
    );
    // Scored as an archive stood at its end: said so.
    const archive = explainStrength(
      {
        emailsSent: 20,
        emailsReceived: 22,
        lastInteractionAt: new Date('2002-12-10T00:00:00Z'),
        myReplyMedianHours: null,
        theirReplyMedianHours: null,
        strengthScore: 78,
        goingCold: true,
        usualGapDays: 0.375,
        computedAt: new Date('2002-12-10T00:00:00Z'),
      },
      now,
    );
    expect(archive.text).toBe(
      'strong because: 42 emails both ways (20 sent, 22 received), last 23 years ago, going cold: you usually write every 9 hours (scored as of your latest mail, Dec 2002)',
    );
  });
});
