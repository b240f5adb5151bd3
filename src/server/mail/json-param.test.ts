import { describe, expect, it } from 'vitest';
import { jsonRows } from './json-param';

describe('jsonRows', () => {
  it('drops NUL and replaces lone surrogates, wherever they sit, and leaves the rest as JSON.stringify writes it', () => {
    const rows = [
      {
        a: 'x\u0000y',
        b: 'lone \ud800 high, lone \udc00 low, pair \ud83d\ude00',
        c: ['\u0000', 'ok'],
        d: { e: 'tail\ud83d' },
        f: 'a backslash then u0000: \\u0000 and \\\\u0000, and \\ud800 as text',
        g: 'control \u0001 stays escaped',
      },
    ];
    const out = jsonRows(rows);
    expect(JSON.parse(out)).toEqual([
      {
        a: 'xy',
        b: 'lone \ufffd high, lone \ufffd low, pair \ud83d\ude00',
        c: ['', 'ok'],
        d: { e: 'tail\ufffd' },
        f: 'a backslash then u0000: \\u0000 and \\\\u0000, and \\ud800 as text',
        g: 'control \u0001 stays escaped',
      },
    ]);
    expect(out).not.toMatch(/(?<!\\)(\\\\)*\\u(0000|d[89a-f])/i);
  });

  it('is JSON.stringify when nothing needs cleaning', () => {
    const rows = [{ id: 1, text: 'plain ✓ text with "quotes" and \\ backslashes', n: null }];
    expect(jsonRows(rows)).toBe(JSON.stringify(rows));
  });
});
