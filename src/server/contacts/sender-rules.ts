import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { senderRules } from '@/server/db/schema';
import type { ContactCandidate } from './contact-candidates';

export type SenderRule = { pattern: string; action: 'block' | 'allow' };

export async function loadSenderRules(db: DbOrTx, userId: string): Promise<SenderRule[]> {
  return db
    .select({ pattern: senderRules.pattern, action: senderRules.action })
    .from(senderRules)
    .where(eq(senderRules.userId, userId));
}

/** The rule for an address: an exact address wins over its `@domain`. */
export function ruleFor(email: string, rules: SenderRule[]): SenderRule | undefined {
  const exact = rules.find((r) => r.pattern.toLowerCase() === email);
  if (exact) return exact;
  const domain = `@${email.split('@')[1]}`;
  return rules.find((r) => r.pattern.toLowerCase() === domain);
}

/** The user's block/allow list overrides every automatic verdict, on every sync. */
export function applySenderRules(candidates: ContactCandidate[], rules: SenderRule[]) {
  if (rules.length === 0) return candidates;
  return candidates.map((c) => {
    const rule = ruleFor(c.email, rules);
    if (!rule) return c;
    return rule.action === 'block'
      ? { ...c, isHuman: false, reason: `blocked by you (${rule.pattern})` }
      : { ...c, isHuman: true, reason: `allowed by you (${rule.pattern})` };
  });
}
