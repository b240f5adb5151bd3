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

describe('choosePersonName between the header and the signature', () => {
  const choose = (email: string, headerName: string | null, signatureName: string) =>
    choosePersonName({ email, headerName, signatureName }).name;

  it('keeps the header’s full name over a signed line that only starts like it', () => {
    expect(choose('tim.one@mail.example', 'Tim Peters', 'Tied 16 Times')).toBe('Tim Peters');
    expect(choose('tim.one@mail.example', 'Tim Peters', 'Tim Peters')).toBe('Tim Peters');
    // A signed name that shares the header's words is the fuller one.
    expect(choose('kgodfrey@mail.example', 'Godfrey, Kim', 'Kim A. Godfrey')).toBe(
      'Kim A. Godfrey',
    );
  });

  it('takes the signed name over a header that is a company or a nickname', () => {
    expect(choose('jeremy@props.example', 'Northwind Properties', 'Jeremy Lessaris')).toBe(
      'Jeremy Lessaris',
    );
    expect(choose('ken.coar@mail.example', 'Rodent of Unusual Size', 'Ken Coar')).toBe('Ken Coar');
  });

  it('never takes a sentence or ascii art for a signed name', () => {
    expect(choose('timc@mail.example', null, 'The Time')).not.toBe('The Time');
    expect(choose('angles@mail.example', null, "That's angle as in geometry")).toBeNull();
    expect(choose('ville.skytta@mail.example', 'Ville Skyttä', '\\/ille Skyttä')).toBe(
      'Ville Skyttä',
    );
    expect(choose('guido@mail.example', null, 'Guido van Rossum')).toBe('Guido van Rossum');
    expect(choose('bob.jordan@mail.example', null, 'To: Jordan')).toBe('Bob Jordan');
  });
});
