import { PageHeader } from '@/components/app/page-header';
import { SummaryCards } from '@/components/dashboard/summary-cards';

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard">Your network at a glance.</PageHeader>
      <SummaryCards />
    </>
  );
}
