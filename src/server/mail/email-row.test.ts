import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailRow, snippetOf } from './email-row';

describe('snippetOf', () => {
  it('is the whole text collapsed and cut, read from its start', () => {
    const piece = fc.oneof(
      fc.constantFrom(' ', '\n', '\t', '  \n\n ', '\u00a0', '\u3000'),
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.constant('x'.repeat(1500)),
      fc.constant(' '.repeat(3000)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(snippetOf(text)).toBe(text.replace(/\s+/g, ' ').trim().slice(0, 200));
      }),
      { numRuns: 2000 },
    );
    expect(snippetOf(null)).toBeNull();
  });
});

describe('emailRow', () => {
  it('joins the store’s columns and the message’s into one JSON object', () => {
    const row = emailRow('{"pmid":"a@x","text":"hi"}', {
      id: 'i',
      thread: undefined,
      direction: 'inbound',
      labels: ['Inbox'],
    });
    expect(JSON.parse(row)).toEqual({
      id: 'i',
      thread: null,
      direction: 'inbound',
      labels: ['Inbox'],
      pmid: 'a@x',
      text: 'hi',
    });
  });
});
