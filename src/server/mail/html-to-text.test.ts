import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text';

describe('htmlToText', () => {
  it('drops scripts, styles, the head and comments, and breaks lines at blocks', () => {
    const html = `<html><head><title>T</title><style>p{}</style></head><body>
      <!-- hidden --><p>Hello&nbsp;<b>Dana</b></p><script>alert(1)</script>
      <table><tr><td>a</td><td>b</td></tr></table>Line<br>two &amp; &#x263A;</body></html>`;
    expect(htmlToText(html)).toBe('Hello Dana\n\na b\n\nLine\ntwo & ☺');
  });

  it('leaves an unclosed block or comment, and a `<` with no `>` after it, as they are', () => {
    expect(htmlToText('<p>a</p><!-- never closed')).toBe('a\n<!-- never closed');
    expect(htmlToText('<p>a</p><script>x')).toBe('a\nx');
    expect(htmlToText('x <p>y</p> <<<')).toBe('x y\n<<<');
  });

  // A hang guard, not a speed target: each took seconds to minutes before (every opening tried
  // against the rest of the page); linear, they take milliseconds.
  it('does not hang on unclosed tags, comments and blocks', { timeout: 30_000 }, () => {
    for (const unit of ['<', '<!--', '<script>', '<td', '<head', '<br ', '<<b>']) {
      const run = unit.repeat(400_000 / unit.length);
      expect(htmlToText(`<p>x</p>${run}`)).toMatch(/^x(\n|$)/);
      expect(htmlToText(`${run}</p>`).length).toBeLessThanOrEqual(run.length);
    }
  });
});
