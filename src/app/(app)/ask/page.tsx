import { PageHeader } from '@/components/app/page-header';
import { AskChat } from '@/components/assistant/ask-chat';

export default async function AskPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  return (
    <div className="flex max-w-3xl flex-col">
      <PageHeader title="Ask">
        Questions about your network, answered from your own mail: who, how often, when, about what.
      </PageHeader>
      {/* A new question in the URL is a new conversation (the palette asks from any page). */}
      <AskChat key={q} initialQuestion={typeof q === 'string' ? q : undefined} />
    </div>
  );
}
