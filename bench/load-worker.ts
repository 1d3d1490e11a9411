// The load generator's own process: `load.ts` forks it, sends one LoadSpec,
// and gets the LoadResult back. Nothing else runs here.
import { runLoad, type LoadSpec } from './http-client.js';

process.once('message', (spec: LoadSpec) => {
  runLoad(spec).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
});
