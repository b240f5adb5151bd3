import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Env } from '@/env';
import type { Db } from '@/server/db/client';
import type { JobQueue } from '@/server/jobs/job-queue';
import { AppError } from '@/server/errors/app-error';
import { enforceRateLimit } from '@/server/rate-limit/api-rate-limiter';

export type SessionUser = { id: string; email: string; name: string };

export type TrpcContext = {
  db: Db;
  env: Env;
  user: SessionUser | null;
  /** When the request's session was created (a fresh sign-in for irreversible actions). */
  sessionCreatedAt?: Date;
  /** The job queue, started on first use (most requests never need it). */
  jobs: () => Promise<JobQueue>;
};

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // An internal error's text (a driver's message, an address, a stack) is for the log
    // (http-handler.ts writes it there), never for the user.
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: internal ? 'Internal error' : shape.message,
      data: {
        ...(internal ? data : shape.data),
        zodError: cause instanceof ZodError ? cause.flatten() : null,
        retryAfterSeconds: cause instanceof AppError ? (cause.retryAfterSeconds ?? null) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** AppErrors thrown anywhere below become the tRPC code they map to (one mapping, app-error.ts). */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(appErrors);

/** Signed in, and every query below is scoped by `ctx.user.id`. */
export const protectedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.user) throw new AppError('UNAUTHORIZED', 'Sign in first');
    return next({ ctx: { ...ctx, user: ctx.user } });
  })
  .use(async ({ ctx, next }) => {
    await enforceRateLimit(ctx.db, `api:${ctx.user.id}`, {
      limit: ctx.env.API_RATE_LIMIT_PER_MINUTE,
      windowSeconds: 60,
    });
    return next();
  });

/** For costly procedures (the assistant, exports): a second, stricter budget. */
export const expensiveProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  await enforceRateLimit(ctx.db, `api-expensive:${ctx.user.id}`, {
    limit: ctx.env.API_EXPENSIVE_RATE_LIMIT_PER_MINUTE,
    windowSeconds: 60,
  });
  return next();
});
