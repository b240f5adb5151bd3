'use client';

import { Upload } from 'lucide-react';
import { useRef, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useLiveEvents } from '@/lib/use-live-events';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number }
  | { kind: 'importing'; stored: number; duplicates: number; failed: number; percent: number }
  | { kind: 'done'; stored: number; duplicates: number; failed: number };

function upload(file: File, owners: string, onProgress: (percent: number) => void) {
  return new Promise<{ jobId: string }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/import/mbox?owners=${encodeURIComponent(owners)}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress((100 * e.loaded) / e.total);
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}') as { jobId?: string; error?: string };
      if (xhr.status === 202 && body.jobId) resolve({ jobId: body.jobId });
      else reject(new Error(body.error ?? `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('upload failed: network error'));
    xhr.send(file);
  });
}

/** Upload an mbox or Google Takeout file; follow its import live. */
export function MboxImport({ defaultOwner }: { defaultOwner: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [owners, setOwners] = useState(defaultOwner);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  useLiveEvents(
    (e) => {
      const p = e.payload as {
        source?: string;
        stored: number;
        duplicates: number;
        failed: number;
        read?: number;
        total?: number;
        done?: boolean;
      };
      if (p.source !== 'mbox') return;
      setPhase((prev) => {
        if (prev.kind !== 'importing') return prev;
        const totals = {
          stored: prev.stored + p.stored,
          duplicates: prev.duplicates + p.duplicates,
          failed: prev.failed + p.failed,
        };
        if (p.done) return { kind: 'done', ...totals };
        return {
          kind: 'importing',
          ...totals,
          percent: p.total ? (100 * (p.read ?? 0)) / p.total : 0,
        };
      });
    },
    ['emails.synced'],
  );

  async function start() {
    const file = input.current?.files?.[0];
    if (!file) return toast.error('Choose an .mbox file first');
    setPhase({ kind: 'uploading', percent: 0 });
    try {
      await upload(file, owners, (percent) => setPhase({ kind: 'uploading', percent }));
      setPhase({ kind: 'importing', stored: 0, duplicates: 0, failed: 0, percent: 0 });
    } catch (err) {
      setPhase({ kind: 'idle' });
      toast.error((err as Error).message);
    }
  }

  const busy = phase.kind === 'uploading' || phase.kind === 'importing';
  const percent = phase.kind === 'uploading' || phase.kind === 'importing' ? phase.percent : 100;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="mbox-file">
          Mailbox file (.mbox or .mbox.gz, e.g. from Google Takeout)
        </Label>
        <Input
          id="mbox-file"
          ref={input}
          type="file"
          accept=".mbox,.gz,.mbx,application/mbox"
          disabled={busy}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="mbox-owners">Your addresses in this mailbox (comma-separated)</Label>
        <Input
          id="mbox-owners"
          value={owners}
          onChange={(e) => setOwners(e.target.value)}
          disabled={busy}
        />
      </div>
      <div className="flex items-center gap-3">
        <Button onClick={start} disabled={busy}>
          <Upload aria-hidden /> Import
        </Button>
        {phase.kind !== 'idle' ? (
          <div className="flex-1" role="status" aria-live="polite">
            <div className="h-2 overflow-hidden rounded bg-muted">
              <div
                className="h-full bg-primary transition-all"
                style={{ width: `${Math.round(percent)}%` }}
              />
            </div>
            <p className="mt-1 text-xs text-muted-foreground">
              {phase.kind === 'uploading'
                ? `Uploading… ${Math.round(phase.percent)}%`
                : `${phase.kind === 'done' ? 'Done' : 'Importing…'} ${phase.stored.toLocaleString()} new, ${phase.duplicates.toLocaleString()} already there, ${phase.failed} rejected`}
            </p>
          </div>
        ) : null}
      </div>
    </div>
  );
}
