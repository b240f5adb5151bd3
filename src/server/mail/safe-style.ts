/**
 * What an email's inline styles may set: text, colours, boxes and table layout. Nothing that
 * positions content over the page, and no value that could load anything.
 */
const PROPERTIES = new Set(
  `color background-color background font font-family font-size font-style font-weight
  font-variant text-align text-decoration text-indent text-transform line-height letter-spacing
  word-spacing white-space word-break word-wrap overflow-wrap vertical-align direction width
  height min-width max-width min-height max-height margin margin-top margin-right margin-bottom
  margin-left padding padding-top padding-right padding-bottom padding-left border border-top
  border-right border-bottom border-left border-color border-style border-width border-radius
  border-collapse border-spacing display float clear list-style list-style-type table-layout
  box-sizing`.split(/\s+/),
);
/** Colour functions, the only parentheses a value may hold. */
const COLOUR_FUNCTION = /\b(?:rgba?|hsla?)\([\d.%\s,/]*\)/gi;
/**
 * Words, numbers, units, colours, quoted font names: no `(` (so no `url(`, `image-set(`,
 * `expression(`), no `\` (so no CSS escape spells one), no `@`, `*`, `:`, `;` or `<`.
 */
const VALUE = /^[\w\s#%.,'"!/+-]*$/;
const MAX_VALUE = 200;

/**
 * An inline style with only the declarations whose property is on the list and whose value
 * can load nothing; the rest are dropped. Read declaration by declaration, so it is linear.
 */
export function safeStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    if (!PROPERTIES.has(property) || !value || value.length > MAX_VALUE) continue;
    if (VALUE.test(value.replace(COLOUR_FUNCTION, '0'))) kept.push(`${property}: ${value}`);
  }
  return kept.join('; ');
}
