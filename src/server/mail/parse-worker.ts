// Worker thread: parses raw messages off the importing thread (see parse-pool.ts).
import { parentPort } from 'node:worker_threads';
// Loaded with the worker, before it reports ready: outside any message's time limit.
import { messageEvidence } from '@/server/contacts/contact-candidates';
import { installConcatBlob } from './concat-blob';
import { displayHtml } from './display-html';
import { emailRowFields } from './email-row';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';

// This thread only parses: postal-mime's Blobs can be the fast kind (see concat-blob.ts).
installConcatBlob();

type Job = { id: number; input?: RawMessage; html?: string };

async function handle({ id, input, html }: Job) {
  try {
    if (!input) {
      parentPort!.postMessage({ id, display: displayHtml(html ?? '') });
      return;
    }
    const message = await parseMessage({ ...input, raw: new Uint8Array(input.raw) });
    // The store's per-message work, here rather than on the importing thread (and within the
    // message's time limit: a message whose signature cannot be read in time is rejected).
    if (input.prepareFor) {
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
