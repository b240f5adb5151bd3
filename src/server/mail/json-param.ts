/**
 * Rows as one json parameter for `json_to_recordset`: a batch of any size in one statement
 * with one bind parameter (plain json, not jsonb: it is read once, so PostgreSQL need not build
 * the binary form). PostgreSQL text cannot hold NUL, and lone UTF-16 surrogates are invalid,
 * so strings are cleaned on the way (real mail has both).
 */
export function jsonRows(rows: unknown[]): string {
  return JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'string' ? value.replaceAll('\u0000', '').toWellFormed() : value,
  );
}
