import { getAuth } from '@/server/auth/auth';
import { getDb } from '@/server/db/client';
import { createEventStream, parseLastEventId } from '@/server/events/event-stream';
import { getRuntime } from '@/server/runtime-handle';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  const session = await (await getAuth()).api.getSession({ headers: req.headers });
  if (!session) return new Response('Sign in first', { status: 401 });
  const [db, { hub }] = await Promise.all([getDb(), getRuntime()]);
  return createEventStream({
    db,
    hub,
    userId: session.user.id,
    lastEventId: parseLastEventId(req),
    signal: req.signal,
  });
}
