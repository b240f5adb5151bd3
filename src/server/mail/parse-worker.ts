// Worker thread: parses raw messages off the importing thread (see parse-pool.ts).
import { parentPort } from 'node:worker_threads';
import { installConcatBlob } from './concat-blob';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';

// This thread only parses: postal-mime's Blobs can be the fast kind (see concat-blob.ts).
installConcatBlob();

type Job = { id: number; input: RawMessage };

async function handle({ id, input }: Job) {
  try {
    const message = await parseMessage({ ...input, raw: new Uint8Array(input.raw) });
    parentPort!.postMessage({ id, message });
  } catch (err) {
    parentPort!.postMessage({
      id,
      error: (err as Error).message,
      parseError: err instanceof MessageParseError,
    });
  }
}

// One message at a time, in order: the pool times (and blames) the one it is on.
let done: Promise<void> = Promise.resolve();
parentPort!.on('message', (job: Job) => {
  done = done.then(() => handle(job));
});
parentPort!.postMessage({ ready: true });
