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
    xhr.open(
      'POST',
      `/api/import/mbox?owners=${encodeURIComponent(owners)}&name=${encodeURIComponent(file.name)}`,
    );
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
  const [uploading, setUploading] = useState<number | null>(null);
  const [started, setStarted] = useState(false);

  // Events count from the moment the upload starts: a small file's import can finish before
  // the upload's own response arrives.
  const listening = useRef(false);
  const [totals, setTotals] = useState({
    stored: 0,
    duplicates: 0,
    failed: 0,
    percent: 0,
    done: false,
  });
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
      if (!listening.current || p.source !== 'mbox') return;
      setTotals((t) => ({
        stored: t.stored + p.stored,
        duplicates: t.duplicates + p.duplicates,
        failed: t.failed + p.failed,
        percent: p.total ? (100 * (p.read ?? 0)) / p.total : t.percent,
        done: Boolean(p.done),
      }));
      if (p.done) listening.current = false;
    },
    ['emails.synced'],
  );
  const phase: Phase =
    uploading !== null
      ? { kind: 'uploading', percent: uploading }
      : !started
        ? { kind: 'idle' }
        : totals.done
          ? { kind: 'done', ...totals }
          : { kind: 'importing', ...totals };

  async function start() {
    const file = input.current?.files?.[0];
    if (!file) return toast.error('Choose an .mbox file first');
    setTotals({ stored: 0, duplicates: 0, failed: 0, percent: 0, done: false });
    listening.current = true;
    setStarted(true);
    setUploading(0);
    try {
      await upload(file, owners, setUploading);
    } catch (err) {
      listening.current = false;
      setStarted(false);
      toast.error((err as Error).message);
    } finally {
      setUploading(null);
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
