import { getRequestSession } from '@/server/auth/session-cache';
import { getDb } from '@/server/db/client';
import { claimStreamSlot, createEventStream, parseLastEventId } from '@/server/events/event-stream';
import { getRuntime } from '@/server/runtime-handle';

export const dynamic = 'force-dynamic';

/**
 * The signed-in user's events over SSE. A browser tab holds one stream (lib/use-live-events);
 * a user may hold MAX_STREAMS_PER_USER in this process, and a stream ends at the first
 * heartbeat after its session does.
 */
export async function GET(req: Request) {
  const session = await getRequestSession(req.headers);
  if (!session) return new Response('Sign in first', { status: 401 });
  const userId = session.user.id;
  const release = claimStreamSlot(userId);
  if (!release)
    return new Response('Too many open event streams', {
      status: 429,
      headers: { 'retry-after': '30' },
    });
  try {
    const [db, { hub }] = await Promise.all([getDb(), getRuntime()]);
    return createEventStream({
      db,
      hub,
      userId,
      lastEventId: parseLastEventId(req),
      signal: req.signal,
      stillSignedIn: async () => (await getRequestSession(req.headers))?.user.id === userId,
      onClose: release,
    });
  } catch (err) {
    release();
    throw err;
  }
}
