import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { flattenHtml } from './flatten-html';

/** How deep htmlparser2 (the sanitiser's parser) nests the elements of `html`. */
function depthOf(html: string) {
  type Node = { children?: Node[]; type: string };
  let max = 0;
  const walk = (n: Node, d: number) => {
    max = Math.max(max, d);
    for (const c of n.children ?? [])
      if (c.type === 'tag' || c.type === 'script' || c.type === 'style') walk(c, d + 1);
  };
  walk(parseDocument(html) as unknown as Node, 0);
  return max;
}

describe('flattenHtml', () => {
  it('leaves ordinary mail as it was, tags, attributes and text', () => {
    const html = `<table width="600"><tr><td align="left"><p>Hi <b>Ann</b> &amp; co,</p><img src="data:image/png;base64,AA" alt="x"><br>see <a href="https://x.test/?a=1&amp;b=2">this</a></td></tr></table>`;
    expect(flattenHtml(html)).toBe(html);
  });

  it('keeps at most the allowed depth, and every word of the text', () => {
    const deep = `${'<div>'.repeat(200_000)}deep words${'</div>'.repeat(200_000)}<p>after</p>`;
    const out = flattenHtml(deep, { maxDepth: 512 })!;
    expect(depthOf(out)).toBeLessThanOrEqual(512);
    expect(out).toContain('deep words');
    expect(out).toContain('<p>after</p>');
    expect(flattenHtml('<b>'.repeat(5000) + 'x', { maxDepth: 100 })).toBe('<b>'.repeat(100) + 'x');
  });

  it('cannot be fooled into deeper nesting than it tracked', () => {
    // Shapes whose end tags do not match, close implicitly, or come from foreign content.
    const shapes = [
      '<div></span>'.repeat(3000),
      '<p><div>'.repeat(3000),
      '<li><ul>'.repeat(3000),
      '<svg><g/>'.repeat(3000),
      '<div/>'.repeat(3000),
      '<td><table><tr>'.repeat(3000),
      '<a><b></a>'.repeat(3000),
      '<div><!-- </div> -->'.repeat(3000),
      '<div x="</div>">'.repeat(3000),
      '<x<y><div>'.repeat(3000),
      '<title><div></title><div>'.repeat(3000),
      '<div></br></p>'.repeat(3000),
    ];
    for (const html of shapes) {
      expect(depthOf(flattenHtml(html, { maxDepth: 64 })!), html.slice(0, 30)).toBeLessThanOrEqual(
        64,
      );
    }
  });

  it('never lets the parser nest deeper, whatever the tag soup (property)', () => {
    const tags = [
      '<div>',
      '</div>',
      '<p>',
      '</p>',
      '<li>',
      '<ul>',
      '</ul>',
      '<td>',
      '<tr>',
      '<table>',
      '</table>',
      '<svg>',
      '<g/>',
      '</svg>',
      '<br>',
      '</br>',
      '<b>',
      '</b>',
      '<a>',
      '</a>',
      'x',
      '<',
      '>',
      '"',
      '<option>',
      '<select>',
      '</select>',
      '<dd>',
      '<dt>',
      '<h1>',
      '</h1>',
      '<tbody>',
      '<thead>',
      '<math>',
      '<mi>',
      '</mi>',
      '<div/>',
      '<img>',
      '</img>',
      '<form>',
      '<input>',
      '<button>',
      '</button>',
      '<body>',
      '<head>',
      '<span>',
      '</span>',
      '</x>',
    ];
    // Rarer: each swallows what follows (a comment, raw text) until its end comes.
    const swallowing = [
      '<!--',
      '-->',
      '<script>',
      '</script>',
      '<title>',
      '</title>',
      '<textarea>',
      '</textarea>',
      '<xmp>',
      '</xmp>',
      '<style>',
      '</style>',
    ];
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom(...tags), weight: 30 },
      { arbitrary: fc.constantFrom(...swallowing), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 100, maxLength: 400 }), (parts) => {
        expect(depthOf(flattenHtml(parts.join(''), { maxDepth: 8 })!)).toBeLessThanOrEqual(8);
      }),
      { numRuns: 500, seed: 27 },
    );
  });

  it('writes nothing the sanitiser would read as markup from text or attributes', () => {
    const out = flattenHtml(`<p title='a"><script>x</script>'>1 &lt; 2 <!-- <b> --> &gt; 0</p>`);
    expect(out).toBe('<p title="a&quot;&gt;&lt;script&gt;x&lt;/script&gt;">1 &lt; 2  &gt; 0</p>');
  });

  it('drops what is never shown: script and style content, comments, doctypes', () => {
    expect(
      flattenHtml('<!doctype html><style>p{color:red}</style><script>alert(1)</script><p>x</p>'),
    ).toBe('<style></style><script></script><p>x</p>');
  });

  it('stops once its output passes the length asked for', () => {
    expect(flattenHtml('<'.repeat(100_000), { maxLength: 500_000 })).toHaveLength(400_000);
    expect(flattenHtml('<'.repeat(100_000), { maxLength: 300_000 })).toBeNull();
  });

  it('takes time in proportion to the input, however it nests', () => {
    const time = (html: string) => {
      const started = performance.now();
      flattenHtml(html);
      return performance.now() - started;
    };
    time('<div>'.repeat(1000)); // warm up
    const small = time('<div>'.repeat(50_000));
    const big = time('<div>'.repeat(400_000));
    // Eight times the input: about eight times the time (quadratic would be 64).
    expect(big).toBeLessThan(Math.max(small, 5) * 30);
  });
});
