/**
 * Escapes JSON.stringify writes that PostgreSQL's json cannot take, each preceded by an even
 * number of backslashes (so it is an escape, not an escaped backslash before `u0000`): NUL
 * (text cannot hold it) and lone UTF-16 surrogates (well-formed JSON.stringify writes them
 * as `\udXXX` escapes, which PostgreSQL refuses; a paired surrogate is written as itself).
 */
const BAD_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi;

/**
 * Rows as one json parameter for `json_to_recordset`: a batch of any size in one statement
 * with one bind parameter (plain json, not jsonb: it is read once, so PostgreSQL need not build
 * the binary form). PostgreSQL text cannot hold NUL, and lone UTF-16 surrogates are invalid,
 * so strings are cleaned on the way (real mail has both): NUL dropped, a lone surrogate
 * replaced by U+FFFD. Serialised without a replacer (V8's fast path; a replacer call per value
 * cost the importing thread a third of a second per 6,000 messages), then those escapes, when
 * there are any, rewritten in the text.
 */
export function jsonRows(rows: unknown[]): string {
  return jsonValue(rows);
}

/** One value as JSON, cleaned as jsonRows cleans a batch. */
export function jsonValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\u')) return json;
  return json.replace(BAD_ESCAPE, (_m, slashes: string, code: string) =>
    code === '0000' ? slashes : `${slashes}\\ufffd`,
  );
}
