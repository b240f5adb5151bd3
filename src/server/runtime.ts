import { jobDefinitions } from '@/server/jobs/registry';
import { JobQueue } from '@/server/jobs/job-queue';
import { EventHub } from '@/server/events/event-hub';
import { getDbHandle } from '@/server/db/client';

import { RUNTIME_KEY as KEY, runtimeSlot, type Runtime } from '@/server/runtime-handle';

export type { Runtime };

/**
 * The process's job queue and event hub. A web process on PostgreSQL only produces jobs
 * (workers run them); the embedded server, and `rapport worker`, start it as a worker.
 */
export function startRuntime(role: 'producer' | 'worker'): Promise<Runtime> {
  const g = runtimeSlot();
  g[KEY] ??= (async () => {
    const handle = await getDbHandle();
    const [queue, hub] = await Promise.all([
      JobQueue.start(handle, { definitions: jobDefinitions, role }),
      EventHub.start(handle),
    ]);
    if (role === 'worker') await queue.process();
    return { queue, hub, role };
  })();
  g[KEY].catch(() => delete g[KEY]);
  return g[KEY];
}

export async function stopRuntime() {
  const g = runtimeSlot();
  const runtime = g[KEY];
  delete g[KEY];
  if (!runtime) return;
  const { queue, hub } = await runtime;
  await hub.close();
  await queue.stop();
}
