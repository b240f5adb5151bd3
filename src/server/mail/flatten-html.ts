import { Tokenizer } from 'htmlparser2';

/** How deep elements may nest; deeper ones lose their tags (their text stays). Chrome's limit. */
export const MAX_HTML_DEPTH = 512;

// htmlparser2's own rules (Parser.ts), which the sanitiser's parser applies to what this writes:
// elements that hold nothing, and those whose start closes an open one (`<p>` ends a `<p>`).
const VOID = new Set(
  'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr'.split(
    ' ',
  ),
);
const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['select', FORM],
  ['input', FORM],
  ['output', FORM],
  ['button', FORM],
  ['datalist', FORM],
  ['textarea', FORM],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...'p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul'
    .split(' ')
    .map((t): [string, Set<string>] => [t, P]),
]);
/** Their content is never shown (the sanitiser drops it): not worth writing out. */
const UNSHOWN = new Set(['script', 'style']);
const NAME = /^[a-z][a-z0-9-]*$/;
const ATTRIBUTE = /^[a-z_:][-a-z0-9_:.]*$/;

const escapeText = (s: string) =>
  s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
const escapeAttribute = (s: string) =>
  s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );

type Open = { name: string; kept: boolean };

/**
 * The HTML written out again in linear time, with no element nested deeper than `maxDepth`:
 * deeper start and end tags are dropped, their text kept (as browsers flatten too-deep trees).
 * htmlparser2's parser, which the sanitiser uses, costs time in proportion to the depth for
 * every element it opens (a 1 MB message of 200,000 nested `<div>` took 21 s); its tokenizer
 * is linear, and this tracks nesting as its parser does, with a counted stack.
 *
 * What comes out is only what this wrote: text escaped, each kept tag with its attributes
 * quoted, an explicit end tag for every kept element closed (comments, doctypes and
 * processing instructions dropped). So the sanitiser's parser sees exactly the tree tracked
 * here, and never nests deeper than `maxDepth`. Null when the output would pass `maxLength`
 * (it stops there).
 */
export function flattenHtml(
  html: string,
  options: { maxDepth?: number; maxLength?: number } = {},
): string | null {
  const maxDepth = options.maxDepth ?? MAX_HTML_DEPTH;
  const maxLength = options.maxLength ?? Infinity;
  const out: string[] = [];
  let length = 0;
  const write = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const stack: Open[] = [];
  /** How many of each element the stack holds: an end tag finds its element without a scan. */
  const open = new Map<string, number>();
  let tag = '';
  let attributes = '';
  let attribute = '';
  let value = '';

  const shown = () => !UNSHOWN.has(stack.at(-1)?.name ?? '');
  const pop = () => {
    const e = stack.pop()!;
    open.set(e.name, open.get(e.name)! - 1);
    return e;
  };
  const closeTop = () => {
    const e = pop();
    if (e.kept) write(`</${e.name}>`);
  };
  const startTag = () => {
    if (!NAME.test(tag)) return;
    const closes = IMPLIES_CLOSE.get(tag);
    while (closes && stack.length && closes.has(stack.at(-1)!.name)) closeTop();
    const kept = stack.length < maxDepth;
    if (kept) write(`<${tag}${attributes}>`);
    if (VOID.has(tag)) return;
    stack.push({ name: tag, kept });
    open.set(tag, (open.get(tag) ?? 0) + 1);
  };
  const endTag = (name: string) => {
    if (!NAME.test(name)) return;
    const unmatched = VOID.has(name) || !open.get(name);
    if (unmatched) {
      // To HTML parsers `</br>` is a line break and a stray `</p>` an empty paragraph.
      if (stack.length < maxDepth && (name === 'br' || name === 'p'))
        write(name === 'br' ? '<br>' : '<p></p>');
      return;
    }
    // The nearest open one: kept, its end tag closes what the sanitiser has open above it too.
    for (let e = pop(); ; e = pop()) {
      if (e.name !== name) continue;
      if (e.kept) write(`</${name}>`);
      return;
    }
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext: (start, end) => {
        if (shown()) write(escapeText(html.slice(start, end)));
      },
      ontextentity: (cp) => {
        if (shown()) write(escapeText(String.fromCodePoint(cp)));
      },
      onopentagname: (start, end) => {
        tag = html.slice(start, end).toLowerCase();
        attributes = '';
      },
      onattribname: (start, end) => {
        attribute = html.slice(start, end).toLowerCase();
        value = '';
      },
      onattribdata: (start, end) => {
        value += html.slice(start, end);
      },
      onattribentity: (cp) => {
        value += String.fromCodePoint(cp);
      },
      onattribend: () => {
        if (ATTRIBUTE.test(attribute)) attributes += ` ${attribute}="${escapeAttribute(value)}"`;
        value = '';
      },
      onopentagend: startTag,
      // As in HTML: `<div/>` is a start tag (only foreign elements close themselves, and
      // nothing here writes `/>` back, so the sanitiser's parser reads them alike).
      onselfclosingtag: startTag,
      onclosetag: (start, end) => endTag(html.slice(start, end).toLowerCase()),
      oncomment: () => {},
      oncdata: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
    },
  );
  // In slices, to stop as soon as the output is too long to be worth finishing.
  for (let at = 0; at < html.length; at += SLICE) {
    tokenizer.write(html.slice(at, at + SLICE));
    if (length > maxLength) return null;
  }
  tokenizer.end();
  return length > maxLength ? null : out.join('');
}

const SLICE = 64 * 1024;
