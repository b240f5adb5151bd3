import type { EventHub } from '@/server/events/event-hub';
import type { JobQueue } from '@/server/jobs/job-queue';

export type Runtime = { queue: JobQueue; hub: EventHub; role: 'producer' | 'worker' };

/**
 * The process's runtime (job queue, event hub), started by the server or worker entry
 * (runtime.ts). Route handlers reach it through this handle only: it imports nothing at run
 * time, so Next's bundle never pulls in the job system (worker threads, file parsing).
 */
export const RUNTIME_KEY = Symbol.for('rapport.runtime');
type Global = { [RUNTIME_KEY]?: Promise<Runtime> };

export function runtimeSlot() {
  return globalThis as Global;
}

export function getRuntime(): Promise<Runtime> {
  const started = runtimeSlot()[RUNTIME_KEY];
  if (!started) {
    return Promise.reject(
      new Error(
        'The job queue is not running in this process: start the app with `rapport serve` (npm start).',
      ),
    );
  }
  return started;
}
