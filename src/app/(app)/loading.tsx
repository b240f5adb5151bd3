import { ListSkeleton, Skeleton } from '@/components/ui/skeleton';

/** Shown while a page's server part renders after a navigation. */
export default function Loading() {
  return (
    <div className="flex flex-col gap-6" role="status" aria-busy="true">
      <span className="sr-only">Loading page…</span>
      <div className="flex flex-col gap-2">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-4 w-72" />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="rounded-xl border border-border p-5">
          <ListSkeleton rows={6} />
        </div>
        <div className="rounded-xl border border-border p-5">
          <ListSkeleton rows={6} />
        </div>
      </div>
    </div>
  );
}
