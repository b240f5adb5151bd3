import { getRequestSession } from '@/server/auth/session-cache';
import { getDb } from '@/server/db/client';
import { createEventStream, parseLastEventId } from '@/server/events/event-stream';
import { getRuntime } from '@/server/runtime-handle';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  const session = await getRequestSession(req.headers);
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
