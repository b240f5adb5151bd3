'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';

/** Which engine answers questions, and whether the configured model's server answers. */
export function AiStatus() {
  const trpc = useTRPC();
  const status = useQuery(trpc.assistant.status.queryOptions());
  // The server checks the model now and then; "check again" asks it to look anew.
  const recheck = useQuery({
    ...trpc.assistant.status.queryOptions({ recheck: true }),
    enabled: false,
  });
  const data = recheck.data ?? status.data;
  const isFetching = status.isFetching || recheck.isFetching;
  const refetch = () => recheck.refetch();
  if (status.isLoading) return <p className="text-sm text-muted-foreground">Checking…</p>;
  if (!data) return null;
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="ai-status">
      <p className="flex items-center gap-2">
        <span
          className={`size-2 rounded-full ${data.ok ? 'bg-emerald-500' : 'bg-red-500'}`}
          aria-hidden
        />
        {data.engine === 'builtin'
          ? 'Built-in engine: answers common questions from your mail, no model needed.'
          : `${data.provider} · ${data.model}: ${data.ok ? 'reachable' : 'not answering'}`}
      </p>
      <p className="text-muted-foreground">
        {data.engine === 'builtin'
          ? 'Set AI_PROVIDER (openai-compatible for Ollama, openai or anthropic) to let a model answer; see the README.'
          : data.ok
            ? `${data.detail}. When it fails, the built-in engine answers instead.`
            : `${data.detail}. Until it answers, the built-in engine does.`}
      </p>
      {data.engine === 'model' ? (
        <button
          type="button"
          className="self-start text-primary hover:underline"
          onClick={() => void refetch()}
          disabled={isFetching}
        >
          {isFetching ? 'Checking…' : 'Check again'}
        </button>
      ) : null}
    </div>
  );
}
