'use client';

import { useMutation } from '@tanstack/react-query';
import { Copy, ExternalLink, Sparkles } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useTRPC } from '@/lib/trpc';
import { AskChat } from './ask-chat';

const PRIORITY = { high: 'bg-red-500', medium: 'bg-amber-500', low: 'bg-slate-400' } as const;

/** The assistant on a contact page: summary, next actions, a draft, and questions about them. */
export function ContactAssistant({ contactId, name }: { contactId: string; name: string }) {
  const trpc = useTRPC();
  const summary = useMutation(trpc.assistant.summary.mutationOptions());
  const actions = useMutation(trpc.assistant.nextActions.mutationOptions());
  const [tone, setTone] = useState<'friendly' | 'formal' | 'brief'>('friendly');
  const [purpose, setPurpose] = useState('');
  const [body, setBody] = useState('');
  const draft = useMutation(
    trpc.assistant.draft.mutationOptions({
      onSuccess: (d) => setBody(d.body),
      onError: (e) => toast.error(e.message),
    }),
  );

  const { mutate: summarize } = summary;
  const { mutate: suggest } = actions;
  useEffect(() => {
    summarize({ contactId, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    suggest({ contactId });
  }, [contactId, summarize, suggest]);

  const submitDraft = (e: FormEvent) => {
    e.preventDefault();
    draft.mutate({ contactId, tone, purpose: purpose.trim() || undefined });
  };
  const gmailUrl = draft.data
    ? `https://mail.google.com/mail/?${new URLSearchParams({ view: 'cm', fs: '1', to: draft.data.to, su: draft.data.subject, body })}`
    : null;

  return (
    <Card data-testid="contact-assistant">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Sparkles className="size-4" /> Assistant
        </CardTitle>
        <CardDescription>
          What your mail says about you and {name}, and what to do next.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5 text-sm">
        <section aria-label="Summary" className="flex flex-col gap-1">
          <h4 className="font-medium">Summary</h4>
          {summary.isPending ? <p className="text-muted-foreground">Summarising…</p> : null}
          {summary.error ? <p className="text-destructive">{summary.error.message}</p> : null}
          {summary.data ? (
            <>
              <p data-testid="relationship-summary">{summary.data.summary}</p>
              {summary.data.highlights.length ? (
                <ul className="list-disc pl-5 text-muted-foreground">
                  {summary.data.highlights.map((h) => (
                    <li key={h}>{h}</li>
                  ))}
                </ul>
              ) : null}
              {summary.data.notice ? (
                <p className="text-xs text-amber-700">{summary.data.notice}</p>
              ) : null}
            </>
          ) : null}
        </section>

        <section aria-label="Next actions" className="flex flex-col gap-1">
          <h4 className="font-medium">Next actions</h4>
          {actions.isPending ? <p className="text-muted-foreground">Thinking…</p> : null}
          {actions.data && actions.data.actions.length === 0 ? (
            <p className="text-muted-foreground">
              Nothing to do: the conversation is in a good place.
            </p>
          ) : null}
          <ul className="flex flex-col gap-2" data-testid="next-actions">
            {actions.data?.actions.map((a) => (
              <li key={a.title} className="flex items-start gap-2">
                <span
                  className={`mt-1.5 size-2 shrink-0 rounded-full ${PRIORITY[a.priority]}`}
                  aria-label={`${a.priority} priority`}
                />
                <span>
                  <span className="font-medium">{a.title}</span>
                  <span className="text-muted-foreground"> — {a.reason}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>

        <section aria-label="Draft an email" className="flex flex-col gap-2">
          <h4 className="font-medium">Draft an email</h4>
          <form onSubmit={submitDraft} className="flex flex-wrap items-end gap-2">
            <div className="flex min-w-48 flex-1 flex-col gap-1">
              <Label htmlFor="draft-purpose">Purpose (optional)</Label>
              <Input
                id="draft-purpose"
                value={purpose}
                onChange={(e) => setPurpose(e.target.value)}
                placeholder="e.g. propose a call next week"
                maxLength={500}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="draft-tone">Tone</Label>
              <select
                id="draft-tone"
                value={tone}
                onChange={(e) => setTone(e.target.value as typeof tone)}
                className="h-9 rounded-md border border-border bg-background px-2 text-sm"
              >
                <option value="friendly">Friendly</option>
                <option value="formal">Formal</option>
                <option value="brief">Brief</option>
              </select>
            </div>
            <Button type="submit" disabled={draft.isPending}>
              {draft.isPending ? 'Drafting…' : 'Draft'}
            </Button>
          </form>
          {draft.data ? (
            <div className="flex flex-col gap-2" data-testid="draft">
              <p>
                <span className="text-muted-foreground">Subject:</span> {draft.data.subject}
              </p>
              <label htmlFor="draft-body" className="sr-only">
                Draft body
              </label>
              <textarea
                id="draft-body"
                value={body}
                onChange={(e) => setBody(e.target.value)}
                rows={8}
                className="w-full rounded-md border border-border bg-background p-2 font-mono text-xs"
              />
              {draft.data.notice ? (
                <p className="text-xs text-amber-700">{draft.data.notice}</p>
              ) : null}
              <div className="flex gap-2">
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  onClick={() =>
                    void navigator.clipboard
                      ?.writeText(`Subject: ${draft.data!.subject}\n\n${body}`)
                      .then(() => toast.success('Draft copied'))
                      .catch(() => toast.error('Could not copy'))
                  }
                >
                  <Copy /> Copy
                </Button>
                {gmailUrl ? (
                  <Button asChild variant="outline" size="sm">
                    <a href={gmailUrl} target="_blank" rel="noreferrer noopener">
                      <ExternalLink /> Open in Gmail
                    </a>
                  </Button>
                ) : null}
              </div>
            </div>
          ) : null}
        </section>

        <section aria-label={`Ask about ${name}`} className="flex flex-col gap-2">
          <h4 className="font-medium">Ask about {name}</h4>
          <AskChat contactId={contactId} compact placeholder="When did we last talk?" />
        </section>
      </CardContent>
    </Card>
  );
}
