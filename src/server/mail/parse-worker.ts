// Worker thread: parses raw messages off the importing thread (see parse-pool.ts).
import { parentPort } from 'node:worker_threads';
import { installConcatBlob } from './concat-blob';
import { emailRowFields } from './email-row';
import type { messageEvidence } from '@/server/contacts/contact-candidates';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';

// This thread only parses: postal-mime's Blobs can be the fast kind (see concat-blob.ts).
installConcatBlob();

type Job = { id: number; input: RawMessage };

/** Contact extraction's modules, loaded when first asked for: a plain parse does without them. */
let evidenceModule: Promise<{ messageEvidence: typeof messageEvidence }> | null = null;
const evidence = () => (evidenceModule ??= import('@/server/contacts/contact-candidates'));

async function handle({ id, input }: Job) {
  try {
    const message = await parseMessage({ ...input, raw: new Uint8Array(input.raw) });
    // The store's per-message work, here rather than on the importing thread.
    if (input.prepareFor) {
      const { messageEvidence } = await evidence();
      message.evidence = messageEvidence(message, new Set(input.prepareFor.owners));
      message.row = emailRowFields(message);
      // The row holds the bodies, and nothing else the store does reads them: one copy crosses.
      message.text = null;
      message.html = null;
    }
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
