import { getEnv } from '@/env';
import { getRequestSession } from '@/server/auth/session-cache';
import { getDbHandle } from '@/server/db/client';
import { contactsCsv, contactsVcf } from '@/server/contacts/export-contacts';
import { enforceRateLimit } from '@/server/rate-limit/api-rate-limiter';

export const dynamic = 'force-dynamic';

/** The signed-in user's contacts as CSV (`?format=csv`) or vCard (`?format=vcf`). */
export async function GET(req: Request) {
  const session = await getRequestSession(req.headers);
  if (!session) return Response.json({ error: 'Sign in first' }, { status: 401 });
  const format = new URL(req.url).searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'vcf')
    return Response.json({ error: 'format must be csv or vcf' }, { status: 400 });
  const { db } = await getDbHandle();
  try {
    await enforceRateLimit(db, `api-expensive:${session.user.id}`, {
      limit: getEnv().API_EXPENSIVE_RATE_LIMIT_PER_MINUTE,
      windowSeconds: 60,
    });
  } catch (err) {
    const retry = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60;
    return Response.json(
      { error: 'Too many exports; try again shortly' },
      { status: 429, headers: { 'retry-after': String(retry) } },
    );
  }
  const day = new Date().toISOString().slice(0, 10);
  const body =
    format === 'csv'
      ? await contactsCsv(db, session.user.id)
      : await contactsVcf(db, session.user.id);
  return new Response(body, {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'text/vcard; charset=utf-8',
      'content-disposition': `attachment; filename="rapport-contacts-${day}.${format}"`,
      'cache-control': 'no-store',
    },
  });
}
