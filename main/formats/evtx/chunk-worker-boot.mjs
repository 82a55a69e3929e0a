// Worker entry used when the parser runs from TypeScript sources (tsx, vitest): it
// registers tsx in this worker thread, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./chunk-worker.ts');
