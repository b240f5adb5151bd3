import { getEnv } from '@/env';
import { getRequestSession } from '@/server/auth/session-cache';
import { AppError } from '@/server/errors/app-error';
import { queueUploadImport } from '@/server/mail/upload-import';
import { getRuntime } from '@/server/runtime-handle';

export const dynamic = 'force-dynamic';

/** The uploaded file's own name, as the user knows it: no path, no control characters. */
function fileName(raw: string | null) {
  const name = (raw ?? '')
    .split(/[\\/]/)
    .at(-1)!
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  return name || undefined;
}

/**
 * Upload an mbox / Takeout file (the raw body; `?owners=a@x,b@y`, and `&name=` the file's own
 * name for the messages it cannot read): saved to disk as it arrives, then imported by a job
 * whose progress the page follows over SSE.
 */
export async function POST(req: Request) {
  const session = await getRequestSession(req.headers);
  if (!session) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!req.body) return Response.json({ error: 'Send the mbox file as the body' }, { status: 400 });
  const params = new URL(req.url).searchParams;
  const owners = (params.get('owners') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (owners.some((o) => !/^[^\s@]+@[^\s@]+$/.test(o))) {
    return Response.json(
      { error: 'owners: give email addresses, comma-separated' },
      { status: 400 },
    );
  }
  try {
    const queued = await queueUploadImport((await getRuntime()).queue, {
      userId: session.user.id,
      body: req.body,
      owners,
      name: fileName(params.get('name')),
      maxBytes: getEnv().MAX_UPLOAD_BYTES,
    });
    return Response.json(queued, { status: 202 });
  } catch (err) {
    // One import per user at a time.
    if (err instanceof AppError && err.code === 'CONFLICT')
      return Response.json({ error: err.message }, { status: 409 });
    const message = (err as Error).message;
    if (message.startsWith('upload larger than'))
      return Response.json({ error: message }, { status: 413 });
    // A disk or stream failure: its text (paths) is for the log.
    console.error('[upload] failed:', err);
    return Response.json({ error: 'The upload failed' }, { status: 500 });
  }
}
