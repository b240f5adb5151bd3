import { boundedString } from '@/lib/bounded-string';

/**
 * An address (ann@x.com) or a domain (@x.com): an optional local part, `@`, then dot-separated
 * labels. Unambiguous, so linear: a character is either in a label or a dot, never both. The
 * former `[^\s@]+\.[^\s@]+` let any dot be the split, and a long run of dots that failed at
 * the end was tried every way (80,000 characters: 4.5 s of a blocked event loop).
 */
export const SENDER_RULE_RE = /^[^\s@]*@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** A sender rule as the user types it: bounded (an address's 254) before the pattern reads it. */
export const senderRulePattern = boundedString(254)
  .trim()
  .toLowerCase()
  .regex(SENDER_RULE_RE, 'an address (ann@x.com) or a domain (@x.com)');
