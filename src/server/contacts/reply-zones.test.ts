import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EACH_QUOTE_MARKER, quoteStart } from './reply-zones';

/** quoteStart's definition: the earliest first match of any marker, matches at 0 ignored. */
function byEachMarker(body: string) {
  let cut = body.length;
  for (const re of EACH_QUOTE_MARKER) {
    const m = re.exec(body);
    if (m && m.index > 0 && m.index < cut) cut = m.index;
  }
  return cut;
}

const LINES = [
  'Sounds good.',
  '',
  '   ',
  '-----Original Message-----',
  '---------------------- Forwarded by Kim Ward/HOU/ECT on 05/14/2001 03:12 PM ---',
  'Begin forwarded message:',
  '_____ Reply Separator _____',
  'On Mon, Jan 5, 2026 at 10:00 AM, Dana <d@x.com> wrote:',
  'On Mon, Jan 5, 2026 at 10:00 AM, Dana',
  'wrote:',
  'From: Dana Scully',
  'Sent: Monday',
  'Date: 5 Jan',
  '> quoted line',
  'Jeff Dasovich@ENRON on 05/14/2001 10:00 AM',
  'Jeff Dasovich@ENRON',
  'on',
  '05/14/2001 10:00 AM',
  '5/4/01 9:05',
  '_'.repeat(24),
  '-'.repeat(22),
  '--',
  'Ilug mailing list',
  'sponsored by Acme',
  'https://lists.example.org/listinfo',
  'To unsubscribe, e-mail x@y.org',
];

describe('quoteStart', () => {
  it('finds what trying every marker over the whole text finds', () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom(...LINES), fc.string({ maxLength: 12 })), { maxLength: 14 })
      .chain((lines) => fc.constantFrom('\n', '\n\n', ' ', '\n  \n').map((sep) => lines.join(sep)));
    fc.assert(
      fc.property(text, (body) => {
        expect(quoteStart(body)).toBe(byEachMarker(body));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a text that is all quote (a marker at its very start is no cut)', () => {
    const body = '-----Original Message-----\nOld text';
    expect(quoteStart(body)).toBe(body.length);
    expect(quoteStart(`Ok.\n\n${body}`)).toBe(4);
  });
});
