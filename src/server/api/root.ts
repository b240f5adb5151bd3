import { createCallerFactory, createTRPCRouter } from './trpc';
import { contactsRouter } from './routers/contacts';
import { dashboardRouter } from './routers/dashboard';
import { meRouter } from './routers/me';

export const appRouter = createTRPCRouter({
  me: meRouter,
  dashboard: dashboardRouter,
  contacts: contactsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
