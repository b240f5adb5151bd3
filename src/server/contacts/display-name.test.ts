import { describe, expect, it } from 'vitest';
import { cleanDisplayName, nameWordAgrees } from './display-name';
import { choosePersonName } from './person-name';
import { extractSignature } from './signature';

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

describe('nameWordAgrees and the signed name', () => {
  it('takes a cut local part as the name it was cut from', () => {
    const none = new Set<string>();
    expect(nameWordAgrees('harrowgate', none, 'harrowgt')).toBe(true); // five letters inside
    expect(nameWordAgrees('whitfield', none, 'whitcons')).toBe(true); // four letters at the start
    expect(nameWordAgrees('whitfield', none, 'jwhitcon')).toBe(false);
    expect(nameWordAgrees('dana', none, 'danforth')).toBe(false); // a short word: five needed
    expect(nameWordAgrees('dana', new Set(['dana']), 'ops')).toBe(true);
  });

  it('signs the sender in with such an address, with no header name', () => {
    const text =
      'Can you confirm the trades?\n\nThanks,\nDana Whitfield\nWhitfield Advisory\n(770) 555-0142 (Office)\nwhitcons@example.net\n';
    const sig = extractSignature(text, { email: 'whitcons@example.net', name: null });
    expect(sig.name).toBe('Dana Whitfield');
    expect(
      choosePersonName({ email: 'whitcons@example.net', headerName: null, signatureName: sig.name })
        .name,
    ).toBe('Dana Whitfield');
    expect(
      choosePersonName({
        email: 'harrowgt@example.org',
        headerName: null,
        signatureName: 'Tom Harrowgate',
      }),
    ).toMatchObject({ name: 'Tom Harrowgate', source: 'signature' });
  });
});
