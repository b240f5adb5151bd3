// The load driver's thread (load-driver.ts): a worker thread does not inherit `--import tsx`,
// so it registers tsx itself, as bin/rapport.mjs does.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('./load-driver.ts');
