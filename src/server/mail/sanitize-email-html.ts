import sanitizeHtml from 'sanitize-html';
import { safeStyle } from './safe-style';

/**
 * Email HTML made safe to show: no scripts, handlers, forms, frames or styles that load
 * anything (inline styles keep a safe list of properties, see safe-style.ts); links open
 * outside; remote images are dropped (tracking pixels), inline ones kept. The result is still
 * shown in a sandboxed iframe with a CSP that allows nothing to load. Give it flattened HTML
 * (flattenHtml): its parser slows down with the square of the nesting.
 */
export function sanitizeEmailHtml(html: string) {
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat([
      'img',
      'font',
      'center',
      'span',
      'u',
      's',
    ]),
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      '*': ['style', 'align', 'colspan', 'rowspan', 'width', 'bgcolor', 'color'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    // Styles are filtered by safeStyle below, not by sanitize-html's CSS parser.
    parseStyleAttributes: false,
    transformTags: {
      a: (tag, attribs) => ({
        tagName: 'a',
        attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
      }),
      '*': (tagName, { style, ...attribs }) => {
        const safe = style ? safeStyle(style) : '';
        return { tagName, attribs: safe ? { ...attribs, style: safe } : attribs };
      },
    },
    exclusiveFilter: (frame) =>
      frame.tag === 'img' && !(frame.attribs.src ?? '').startsWith('data:'),
  });
}
