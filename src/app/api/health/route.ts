import { getDbHandle } from '@/server/db/client';

export const dynamic = 'force-dynamic';

export async function GET() {
  const handle = await getDbHandle();
  await handle.query('SELECT 1');
  return Response.json({ ok: true, database: handle.driver });
}
