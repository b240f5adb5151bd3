export * from './auth';
export * from './mail';
export * from './contacts';
export * from './analytics';
export * from './enrichment';
export * from './events';
export * from './rate-limits';
export * from './identity';
