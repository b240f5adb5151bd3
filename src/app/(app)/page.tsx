import { PageHeader } from '@/components/app/page-header';
import { ActivityLists } from '@/components/dashboard/activity-lists';
import { RelationshipLists } from '@/components/dashboard/relationship-lists';
import { SummaryCards } from '@/components/dashboard/summary-cards';

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard">Your network at a glance.</PageHeader>
      <div className="flex flex-col gap-6">
        <SummaryCards />
        <RelationshipLists />
        <ActivityLists />
      </div>
    </>
  );
}
