import { PageHeader } from '@/components/app/page-header';
import { ActivityLists } from '@/components/dashboard/activity-lists';
import { RelationshipLists } from '@/components/dashboard/relationship-lists';
import { SummaryCards } from '@/components/dashboard/summary-cards';
import { prefetch } from '@/server/api/prefetch';

export default async function DashboardPage() {
  const { Hydrate } = await prefetch((trpc) => [
    trpc.dashboard.summary.queryOptions(),
    trpc.contacts.top.queryOptions({ metric: 'strength', limit: 8 }),
    trpc.contacts.top.queryOptions({ metric: 'going-cold', limit: 8 }),
    trpc.dashboard.repliesOwed.queryOptions(),
    trpc.dashboard.recent.queryOptions(),
  ]);
  return (
    <>
      <PageHeader title="Dashboard">Your network at a glance.</PageHeader>
      <Hydrate>
        <div className="flex flex-col gap-6">
          <SummaryCards />
          <RelationshipLists />
          <ActivityLists />
        </div>
      </Hydrate>
    </>
  );
}
