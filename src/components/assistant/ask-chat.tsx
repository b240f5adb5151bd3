'use client';

import { useQuery } from '@tanstack/react-query';
import { Loader2, Send } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { cn } from '@/components/ui/cn';
import { takeAskWhenOpen } from '@/lib/ask-now';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import type { Answer } from '@/server/assistant/answer';

type Turn = {
  id: number;
  question: string;
  text: string;
  status: string | null;
  answer: Answer | null;
};

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The assistant as a chat: streamed answers, linked contacts and emails, suggested questions. */
export function AskChat({
  contactId,
  initialQuestion,
  compact = false,
  placeholder = 'Ask about your network…',
}: {
  contactId?: string;
  initialQuestion?: string;
  compact?: boolean;
  placeholder?: string;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState(initialQuestion ?? '');
  const [busy, setBusy] = useState(false);
  const asked = useRef(false);
  const end = useRef<HTMLDivElement>(null);
  const { data: suggestions } = useQuery({
    ...trpc.assistant.suggestions.queryOptions(),
    enabled: !compact,
  });

  const askQuestion = useCallback(
    async (q: string) => {
      const text = q.trim();
      if (!text || busy) return;
      const id = Date.now();
      setBusy(true);
      setQuestion('');
      setTurns((t) => [...t, { id, question: text, text: '', status: 'Thinking…', answer: null }]);
      const update = (patch: (t: Turn) => Partial<Turn>) =>
        setTurns((all) => all.map((t) => (t.id === id ? { ...t, ...patch(t) } : t)));
      try {
        const stream = await client.assistant.ask.mutate({
          question: text,
          contactId,
          timeZone: zone(),
        });
        for await (const chunk of stream) {
          if (chunk.type === 'text') update((t) => ({ text: t.text + chunk.delta, status: null }));
          else if (chunk.type === 'status') update(() => ({ status: `${chunk.text}…` }));
          else update(() => ({ answer: chunk.answer, status: null }));
        }
      } catch (err) {
        update(() => ({ status: null, text: 'Sorry, that question could not be answered.' }));
        toast.error((err as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [busy, client, contactId],
  );

  // A question in the URL (`/ask?q=…`) is only filled in (above), unless the user asked it
  // from within the app: anyone can link here, and a question costs a model call.
  useEffect(() => {
    if (initialQuestion && !asked.current) {
      asked.current = true;
      // Asked once this render has committed (a state update of its own, not the effect's).
      if (takeAskWhenOpen(initialQuestion)) queueMicrotask(() => void askQuestion(initialQuestion));
    }
  }, [initialQuestion, askQuestion]);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [turns]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void askQuestion(question);
  };

  return (
    <div className="flex flex-col gap-4">
      {turns.length === 0 && suggestions?.length ? (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-muted-foreground">Try one of these:</p>
          <div className="flex flex-wrap gap-2" data-testid="suggestions">
            {suggestions.map((s) => (
              <Button key={s} variant="outline" size="sm" onClick={() => void askQuestion(s)}>
                {s}
              </Button>
            ))}
          </div>
        </div>
      ) : null}
      <ol className="flex flex-col gap-4" aria-live="polite">
        {turns.map((t) => (
          <li key={t.id} className="flex flex-col gap-2">
            <p className="self-end rounded-lg bg-primary px-3 py-2 text-sm text-primary-foreground">
              {t.question}
            </p>
            <AnswerView turn={t} onAsk={(s) => void askQuestion(s)} />
          </li>
        ))}
      </ol>
      <div ref={end} />
      <form onSubmit={submit} className={cn('flex gap-2', !compact && 'sticky bottom-4')}>
        <label htmlFor={contactId ? `ask-${contactId}` : 'ask'} className="sr-only">
          Question
        </label>
        <Input
          id={contactId ? `ask-${contactId}` : 'ask'}
          name="question"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          placeholder={placeholder}
          autoComplete="off"
          data-shortcut={compact ? undefined : 'search'}
          maxLength={1000}
          className="bg-card"
        />
        <Button type="submit" disabled={busy || !question.trim()} aria-label="Ask">
          {busy ? <Loader2 className="animate-spin" /> : <Send />}
          {compact ? null : 'Ask'}
        </Button>
      </form>
    </div>
  );
}

function AnswerView({ turn, onAsk }: { turn: Turn; onAsk: (q: string) => void }) {
  const a = turn.answer;
  const text = a?.answer ?? turn.text;
  return (
    <div
      className="flex max-w-2xl flex-col gap-2 rounded-lg border border-border bg-card px-3 py-2 text-sm"
      data-testid="answer"
    >
      {turn.status ? (
        <p className="flex items-center gap-2 text-muted-foreground">
          <Loader2 className="size-3 animate-spin" /> {turn.status}
        </p>
      ) : null}
      {text ? <p className="whitespace-pre-wrap">{text}</p> : null}
      {a?.notice ? <p className="text-xs text-amber-700 dark:text-amber-400">{a.notice}</p> : null}
      {a && a.contacts.length > 0 ? (
        <ul className="flex flex-wrap gap-2" aria-label="Contacts in this answer">
          {a.contacts.slice(0, 20).map((c) => (
            <li key={c.id}>
              <Link
                href={`/contacts/${c.id}`}
                className="inline-flex items-center gap-1 rounded-full border border-border px-2 py-0.5 text-xs hover:bg-muted"
              >
                <span className="font-medium">{c.name ?? c.email}</span>
                {c.detail ? <span className="text-muted-foreground">· {c.detail}</span> : null}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {a && a.emails.length > 0 ? (
        <ul
          className="flex flex-col gap-1 border-t border-border pt-2 text-xs"
          aria-label="Emails in this answer"
        >
          {a.emails.slice(0, 8).map((e) => (
            <li key={e.id} className="flex gap-2">
              <span className="tabular-nums text-muted-foreground">
                {e.sentAt ? new Date(e.sentAt).toLocaleDateString() : '—'}
              </span>
              <span className="truncate">{e.subject ?? '(no subject)'}</span>
              <span className="truncate text-muted-foreground">{e.from}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {a && a.suggestions.length > 0 ? (
        <div className="flex flex-wrap gap-2">
          {a.suggestions.map((s) => (
            <Button key={s} variant="outline" size="sm" onClick={() => onAsk(s)}>
              {s}
            </Button>
          ))}
        </div>
      ) : null}
      {a ? (
        <p className="text-[11px] text-muted-foreground">
          {a.engine === 'model' ? 'Answered by the model' : 'Answered by the built-in engine'} ·{' '}
          {a.intent.replace(/_/g, ' ')}
        </p>
      ) : null}
    </div>
  );
}
