const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  mdash: '—',
  ndash: '–',
  hellip: '…',
  copy: '©',
  reg: '®',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

function decodeEntities(s: string) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/**
 * Removes each block from an opening `open` matches to the nearest `close(tag)` after it (as
 * `/<(script|…)[\s\S]*?<\/\1\s*>/gi` would), in linear time: a tag found unclosed is not
 * searched for again, where a regular expression tries each opening against the rest of the
 * page (minutes for a page of unclosed tags).
 */
function dropBlocks(html: string, open: RegExp, close: (tag: string) => RegExp): string {
  const unclosed = new Set<string>();
  let out = '';
  let last = 0;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const tag = m[0].toLowerCase();
    if (unclosed.has(tag)) continue;
    const end = close(m[1] ?? '');
    end.lastIndex = open.lastIndex;
    if (!end.exec(html)) {
      unclosed.add(tag);
      continue;
    }
    out += html.slice(last, m.index);
    last = open.lastIndex = end.lastIndex;
  }
  return out + html.slice(last);
}

/**
 * `html.replace(tag, by)` for a pattern whose matches end with `>`: past the last `>` none can
 * match, and leaving that tail out keeps `<[^>]+>` from trying each `<` in it against the rest
 * of the page (quadratic).
 */
function replaceTags(html: string, tag: RegExp, by: string) {
  const end = html.lastIndexOf('>') + 1;
  return html.slice(0, end).replace(tag, by) + html.slice(end);
}

/**
 * Plain text from an HTML-only message, for search and signature reading (never for display:
 * the HTML itself is only ever shown sanitised). Block elements become line breaks. Linear in
 * the size of the HTML, however broken it is.
 */
export function htmlToText(html: string): string {
  let s = dropBlocks(html, /<(script|style|head|title)/gi, (t) => new RegExp(`</${t}\\s*>`, 'gi'));
  s = dropBlocks(s, /<!--/g, () => /-->/g);
  s = replaceTags(s, /<br\s*\/?>/gi, '\n');
  s = replaceTags(s, /<\/(p|div|tr|li|h[1-6]|table|blockquote)\s*>/gi, '\n');
  s = replaceTags(s, /<(td|th)[^>]*>/gi, ' ');
  s = replaceTags(s, /<[^>]+>/g, '');
  return decodeEntities(s)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
