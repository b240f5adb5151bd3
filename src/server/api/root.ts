import { createCallerFactory, createTRPCRouter } from './trpc';
import { assistantRouter } from './routers/assistant';
import { contactsRouter } from './routers/contacts';
import { dashboardRouter } from './routers/dashboard';
import { jobsRouter } from './routers/jobs';
import { mailAccountsRouter } from './routers/mail-accounts';
import { senderRulesRouter } from './routers/sender-rules';
import { meRouter } from './routers/me';

export const appRouter = createTRPCRouter({
  me: meRouter,
  dashboard: dashboardRouter,
  contacts: contactsRouter,
  jobs: jobsRouter,
  assistant: assistantRouter,
  mailAccounts: mailAccountsRouter,
  senderRules: senderRulesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
