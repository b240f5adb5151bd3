import { getEnv } from '@/env';
import { getRequestSession } from '@/server/auth/session-cache';
import { saveUpload } from '@/server/mail/upload-store';
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
  let upload;
  try {
    upload = await saveUpload(req.body, getEnv().MAX_UPLOAD_BYTES);
  } catch (err) {
    const message = (err as Error).message;
    if (message.startsWith('upload larger than'))
      return Response.json({ error: message }, { status: 413 });
    // A disk or stream failure: its text (paths) is for the log.
    console.error('[upload] failed:', err);
    return Response.json({ error: 'The upload failed' }, { status: 500 });
  }
  const jobId = await (
    await getRuntime()
  ).queue.enqueue('mail.import-mbox', {
    userId: session.user.id,
    file: upload.file,
    owners,
    name: fileName(params.get('name')),
    deleteAfter: true,
  });
  return Response.json({ jobId, bytes: upload.size }, { status: 202 });
}
