'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Pencil } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useTRPC } from '@/lib/trpc';

type FieldSource = { source: string; confidence: number; at: string; evidence?: string };
export type EditableContact = {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  title: string | null;
  location: string | null;
  notes: string | null;
  tags: string[];
  phones: { number: string; type?: string; extension?: string | null }[];
  userEditedFields: string[];
  fieldSources: Record<string, FieldSource>;
  isHuman: boolean;
  classificationReason: string | null;
};

const SOURCE_LABEL: Record<string, string> = {
  signature: 'from their signature',
  header: 'from the From header',
  'display-name': 'from the From header',
  domain: 'from their email domain',
  'local-part': 'guessed from the address',
  enrichment: 'from enrichment',
};

function Provenance({ c, field }: { c: EditableContact; field: string }) {
  if (c.userEditedFields.includes(field))
    return (
      <span className="rounded bg-primary/10 px-1.5 text-[11px] text-primary">edited by you</span>
    );
  const s = c.fieldSources[field];
  if (!s) return null;
  const confidence = `confidence ${Math.round(s.confidence * 100)}%`;
  return (
    <span
      className="text-[11px] text-muted-foreground"
      title={s.evidence ? `${s.evidence} · ${confidence}` : confidence}
    >
      {s.source === 'domain' && s.evidence
        ? 'from their email domain, as colleagues sign it'
        : (SOURCE_LABEL[s.source] ?? `from ${s.source}`)}
    </span>
  );
}

/** The profile: each field with where it came from; edits are the user's and kept forever. */
export function ContactEditor({ c }: { c: EditableContact }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onSuccess: () => {
        toast.success('Saved');
        setEditing(false);
        void queryClient.invalidateQueries({ queryKey: trpc.contacts.byId.queryKey({ id: c.id }) });
      },
      onError: (e) => toast.error(e.message),
    }),
  );

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => {
      const v = String(f.get(k) ?? '').trim();
      return v || null;
    };
    const patch: Record<string, unknown> = {};
    for (const k of ['name', 'company', 'title', 'location'] as const)
      if (text(k) !== (c[k] ?? null)) patch[k] = text(k);
    const notes = String(f.get('notes') ?? '');
    if ((notes || null) !== (c.notes ?? null)) patch.notes = notes || null;
    const tags = [
      ...new Set(
        String(f.get('tags') ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (tags.join(',') !== c.tags.join(',')) patch.tags = tags;
    if (Object.keys(patch).length === 0) return setEditing(false);
    update.mutate({ id: c.id, patch });
  };

  const rows: [string, string, string | null][] = [
    ['Email', 'email', c.email],
    ['Company', 'company', c.company],
    ['Title', 'title', c.title],
    [
      'Phones',
      'phones',
      c.phones
        .map(
          (p) =>
            `${p.number}${p.extension ? ` ext. ${p.extension}` : ''}${p.type ? ` (${p.type})` : ''}`,
        )
        .join(', ') || null,
    ],
    ['Location', 'location', c.location],
    ['Tags', 'tags', c.tags.join(', ') || null],
  ];

  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>Profile</CardTitle>
        {!editing ? (
          <Button size="sm" variant="outline" onClick={() => setEditing(true)}>
            <Pencil /> Edit
          </Button>
        ) : null}
      </CardHeader>
      <CardContent>
        {editing ? (
          <form
            onSubmit={submit}
            className="grid gap-3 text-sm sm:grid-cols-2"
            aria-label="Edit contact"
          >
            {(['name', 'company', 'title', 'location'] as const).map((k) => (
              <div key={k} className="flex flex-col gap-1">
                <Label htmlFor={`edit-${k}`} className="capitalize">
                  {k}
                </Label>
                <Input id={`edit-${k}`} name={k} defaultValue={c[k] ?? ''} maxLength={200} />
              </div>
            ))}
            <div className="flex flex-col gap-1 sm:col-span-2">
              <Label htmlFor="edit-tags">Tags (comma-separated)</Label>
              <Input id="edit-tags" name="tags" defaultValue={c.tags.join(', ')} />
            </div>
            <div className="flex flex-col gap-1 sm:col-span-2">
              <Label htmlFor="edit-notes">Notes</Label>
              <textarea
                id="edit-notes"
                name="notes"
                defaultValue={c.notes ?? ''}
                rows={5}
                maxLength={20_000}
                className="rounded-md border border-border bg-background p-2 text-sm"
              />
            </div>
            <div className="flex gap-2 sm:col-span-2">
              <Button type="submit" disabled={update.isPending}>
                {update.isPending ? 'Saving…' : 'Save'}
              </Button>
              <Button type="button" variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <dl className="grid grid-cols-[7rem_1fr] gap-y-2 text-sm" data-testid="profile">
            {rows.map(([label, field, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="flex flex-wrap items-baseline gap-2">
                  <span data-field={field}>{value || '—'}</span>
                  {value ? <Provenance c={c} field={field} /> : null}
                </dd>
              </div>
            ))}
            {!c.isHuman ? (
              <div className="contents">
                <dt className="text-muted-foreground">Kind</dt>
                <dd>
                  Automated sender{c.classificationReason ? ` — ${c.classificationReason}` : ''}
                </dd>
              </div>
            ) : null}
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
