import { z } from 'zod';
import { getAuth } from '@/server/auth/auth';
import { getDbHandle } from '@/server/db/client';
import { AppError } from '@/server/errors/app-error';
import { LOCAL_CLIENT_HEADER } from './cli-access';
import { checkCliToken } from './cli-token';
import { runCommand } from './commands';

export const cliBodySchema = z.object({ command: z.string().max(100), input: z.unknown() });

const STATUS: Record<string, number> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
};

/**
 * POST /api/cli: the embedded server running a CLI command on the CLI's behalf, for a CLI on this
 * machine only (cli-access.ts).
 */
export async function handleCliRequest(req: Request): Promise<Response> {
  if (req.headers.get(LOCAL_CLIENT_HEADER) !== '1')
    return Response.json({ error: 'The CLI endpoint answers on loopback only' }, { status: 403 });
  const auth = req.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? null;
  if (!checkCliToken(auth)) return Response.json({ error: 'Bad CLI token' }, { status: 401 });
  const body = cliBodySchema.safeParse(await req.json().catch(() => null));
  if (!body.success) return Response.json({ error: 'Expected {command, input}' }, { status: 400 });
  try {
    const [handle, authInstance] = await Promise.all([getDbHandle(), getAuth()]);
    const result = await runCommand(
      { handle, auth: authInstance },
      body.data.command,
      body.data.input,
    );
    return Response.json({ result });
  } catch (err) {
    if (err instanceof AppError) {
      return Response.json({ error: err.message }, { status: STATUS[err.code] ?? 500 });
    }
    console.error('[cli] command failed:', err);
    return Response.json({ error: (err as Error).message }, { status: 500 });
  }
}
