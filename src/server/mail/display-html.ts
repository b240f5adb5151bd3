import { flattenHtml } from './flatten-html';
import { sanitizeEmailHtml } from './sanitize-email-html';

/** The most HTML kept to show a message; a message with more is shown as text. */
export const MAX_DISPLAY_HTML = 256 * 1024;
/**
 * Flattened HTML longer than this is not sanitised: what the sanitiser removes from real mail
 * (attributes, unknown tags) leaves well over MAX_DISPLAY_HTML of it.
 */
const MAX_FLAT_HTML = 2 * MAX_DISPLAY_HTML;

/** What is stored to show a message: safe HTML, or none (`asText`: it had HTML too big to show). */
export type DisplayHtml = { html: string | null; asText: boolean };

/**
 * A message's HTML as it is stored for display, done once when the message is stored: nesting
 * flattened (linear), sanitised, and at most MAX_DISPLAY_HTML; beyond that the message is
 * shown as text. Each step's cost is bounded by its input's size, so a hostile message costs
 * a parse worker a fraction of a second, once, and reading it costs nothing.
 */
export function displayHtml(raw: string): DisplayHtml {
  const flat = flattenHtml(raw, { maxLength: MAX_FLAT_HTML });
  if (flat === null) return { html: null, asText: true };
  const safe = sanitizeEmailHtml(flat);
  if (safe.length > MAX_DISPLAY_HTML) return { html: null, asText: true };
  return { html: safe.trim() ? safe : null, asText: false };
}
