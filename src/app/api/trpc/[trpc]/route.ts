import { createRequestContext } from '@/server/api/context';
import { handleTrpcRequest } from '@/server/api/http-handler';

export const dynamic = 'force-dynamic';

function handler(req: Request) {
  return handleTrpcRequest(req, () => createRequestContext(req.headers));
}

export { handler as GET, handler as POST };
