import type { JobDefinition } from './define-job';
import { pruneRateLimitsJob } from './definitions/maintenance.prune-rate-limits';

/** Every job the worker runs. Each capability adds its definitions here. */
export const jobDefinitions: JobDefinition[] = [pruneRateLimitsJob as unknown as JobDefinition];
