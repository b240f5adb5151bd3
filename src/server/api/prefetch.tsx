import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import superjson from 'superjson';
import { createRequestContext } from './context';
import { appRouter } from './root';

/**
 * Server-side prefetching for a page's first paint: the page's server component runs the
 * queries its client components are about to ask for (same procedures, same inputs, the same
 * user-scoped context as /api/trpc) and sends the results inside the HTML, so the page shows its
 * data as soon as it hydrates instead of after another round trip.
 */
export async function prefetch(
  build: (trpc: ReturnType<typeof serverTrpc>['trpc']) => unknown[],
): Promise<{ Hydrate: (props: { children: ReactNode }) => ReactNode }> {
  const { trpc, queryClient } = serverTrpc(await headers());
  // A failed prefetch is not an error here: the client asks again and shows what it gets.
  await Promise.all(
    build(trpc).map((options) =>
      queryClient.prefetchQuery(options as Parameters<QueryClient['prefetchQuery']>[0]),
    ),
  );
  const state = dehydrate(queryClient);
  return {
    Hydrate: ({ children }) => <HydrationBoundary state={state}>{children}</HydrationBoundary>,
  };
}

function serverTrpc(requestHeaders: Headers) {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false },
      dehydrate: { serializeData: superjson.serialize },
    },
  });
  const ctx = createRequestContext(requestHeaders); // one session lookup for all the queries
  const trpc = createTRPCOptionsProxy({
    router: appRouter,
    ctx: () => ctx,
    queryClient,
  });
  return { trpc, queryClient };
}
