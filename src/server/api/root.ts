import { createCallerFactory, createTRPCRouter } from './trpc';
import { assistantRouter } from './routers/assistant';
import { contactsRouter } from './routers/contacts';
import { dashboardRouter } from './routers/dashboard';
import { invitesRouter } from './routers/invites';
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
  invites: invitesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
