import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { AppError } from '@/server/errors/app-error';
import { appRouter } from './root';
import type { TrpcContext } from './trpc';

/** tRPC over fetch; a rate-limited call answers 429 with Retry-After. */
export function handleTrpcRequest(req: Request, createContext: () => Promise<TrpcContext>) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext,
    responseMeta({ errors }) {
      const retryAfter = errors
        .map((e) => (e.cause instanceof AppError ? e.cause.retryAfterSeconds : undefined))
        .find((s) => s !== undefined);
      return retryAfter ? { headers: new Headers({ 'Retry-After': String(retryAfter) }) } : {};
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`[trpc] ${path ?? '?'}:`, error.cause ?? error);
      }
    },
  });
}
