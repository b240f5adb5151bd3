import type { ComponentProps } from 'react';
import { cn } from './cn';

/** A grey placeholder block, pulsing, in the shape of what is loading. */
export function Skeleton({ className, ...props }: ComponentProps<'div'>) {
  return (
    <div
      aria-hidden
      className={cn('animate-pulse rounded-md bg-muted motion-reduce:animate-none', className)}
      {...props}
    />
  );
}

/** A loading list: `rows` lines of text-shaped skeletons, announced once to screen readers. */
export function ListSkeleton({ rows = 5, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-busy="true" className="flex flex-col gap-3 py-1" data-skeleton>
      <span className="sr-only">{label}…</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center justify-between gap-3">
          <Skeleton
            className={cn('h-4', i % 3 === 0 ? 'w-2/3' : i % 3 === 1 ? 'w-1/2' : 'w-3/5')}
          />
          <Skeleton className="h-3 w-16" />
        </div>
      ))}
    </div>
  );
}
