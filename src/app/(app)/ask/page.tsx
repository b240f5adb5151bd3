import { MessageSquareText } from 'lucide-react';
import { PageHeader } from '@/components/app/page-header';
import { EmptyState } from '@/components/ui/empty-state';

export default function AskPage() {
  return (
    <>
      <PageHeader title="Ask">Questions about your network, answered from your mail.</PageHeader>
      <EmptyState icon={MessageSquareText} title="Nothing to ask about yet">
        Once your mail is imported you can ask things like “who have I lost touch with?” or “when
        did I last write to Dana?”.
      </EmptyState>
    </>
  );
}
