import { sql } from 'drizzle-orm';

/**
 * The owner's addresses as one lower-case text[] (SQL): every mail account's address and
 * aliases, and the address they signed up with. Mail naming one of them was addressed to them.
 */
export const ownerAddresses = (userId: string) => sql`(
  SELECT coalesce(array_agg(DISTINCT lower(a)), '{}'::text[]) FROM (
    SELECT m.address AS a FROM mail_accounts m WHERE m.user_id = ${userId}
    UNION ALL SELECT unnest(m.aliases) FROM mail_accounts m WHERE m.user_id = ${userId}
    UNION ALL SELECT u.email FROM users u WHERE u.id = ${userId}) owner_addresses)`;
