import { describe, expect, it } from 'vitest';
import { cleanDisplayName } from './display-name';

describe('cleanDisplayName', () => {
  it.each([
    ['Dasovich, Jeff', 'Jeff Dasovich'],
    ['"Kim Godfrey"', 'Kim Godfrey'],
    ['JOHN ARNOLD', 'John Arnold'],
    ['dana scully', 'Dana Scully'],
    ['Allen, Phillip K. </O=ENRON/OU=NA/CN=RECIPIENTS/CN=PALLEN>', 'Phillip K. Allen'],
    ["'Sam Vimes (Night Watch)'", 'Sam Vimes'],
    ["Mateo O'Neill", "Mateo O'Neill"],
  ])('%s → %s', (raw, name) => {
    expect(cleanDisplayName(raw)).toBe(name);
  });

  it('is null for addresses, punctuation and the bare local part', () => {
    expect(cleanDisplayName('dana@acme.com')).toBeNull();
    expect(cleanDisplayName('gbolcer at endeavors.com')).toBeNull();
    expect(cleanDisplayName('---')).toBeNull();
    expect(cleanDisplayName('jsmith', 'jsmith@x.com')).toBeNull();
    expect(cleanDisplayName(null)).toBeNull();
  });
});
