import { describe, expect, it } from 'vitest';
import { senderRulePattern, SENDER_RULE_RE } from './sender-rule-pattern';

/** Inputs that made the former pattern try every dot as a split (quadratic). */
const hostile = (n: number) => [
  `a@${'.'.repeat(n)}@`,
  `a@${'a.'.repeat(n / 2)} `,
  `@${'a.'.repeat(n / 2)}@`,
  `${'a'.repeat(n)}`,
  `${'@a.'.repeat(n / 3)}!`,
];

describe('sender rule pattern', () => {
  it('takes an address or an @domain, trimmed and lower-cased, and nothing else', () => {
    expect(senderRulePattern.parse('  Ann@X.com ')).toBe('ann@x.com');
    expect(senderRulePattern.parse('@Mail.Globex.co.uk')).toBe('@mail.globex.co.uk');
    for (const bad of ['not a pattern', 'ann@x', '@x', 'a@b..c', 'a@.b.c', 'a@b.c.', 'a b@x.com'])
      expect(senderRulePattern.safeParse(bad).success, bad).toBe(false);
  });

  it('refuses an 80,000-character rule without reading it through the pattern', () => {
    for (const input of hostile(80_000)) {
      const started = performance.now();
      const result = senderRulePattern.safeParse(input);
      const ms = performance.now() - started;
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.code)).toEqual(['too_big']);
      // Milliseconds at most; the former pattern took 4.5 s on the first of these.
      expect(ms).toBeLessThan(500);
    }
  });

  it('is linear even without the length limit (an unambiguous pattern)', () => {
    for (const input of hostile(200_000)) {
      const started = performance.now();
      expect(SENDER_RULE_RE.test(input)).toBe(false);
      // A quadratic pattern needs minutes here; a linear one a millisecond or two.
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});
