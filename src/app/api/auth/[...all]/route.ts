import { getAuth } from '@/server/auth/auth';
import { handleAuthRequest } from '@/server/auth/auth-http-handler';

export const dynamic = 'force-dynamic';

async function handler(req: Request) {
  return handleAuthRequest(await getAuth(), req);
}

export { handler as GET, handler as POST };
