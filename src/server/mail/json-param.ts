/**
 * Rows as one jsonb parameter for `jsonb_to_recordset`: a batch of any size in one statement
 * with one bind parameter. PostgreSQL text cannot hold NUL, and jsonb refuses lone UTF-16
 * surrogates, so strings are cleaned on the way (real mail has both).
 */
export function jsonRows(rows: unknown[]): string {
  return JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'string' ? value.replaceAll('\u0000', '').toWellFormed() : value,
  );
}
