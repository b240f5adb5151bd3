import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { MessageParseError, type RawMessage } from './parse-message';
import type { ParsedMessage } from './parsed-message';

type Pending = { resolve(m: ParsedMessage): void; reject(e: Error): void };
type Reply = { id: number; message?: ParsedMessage; error?: string; parseError?: boolean };

/**
 * Parses messages on worker threads so that a big import uses both cores: the importing
 * thread reads the file and stores batches while the workers run postal-mime.
 */
export class ParsePool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing = false;

  constructor(size = Math.max(1, os.availableParallelism() - 1)) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./parse-worker-entry.mjs', import.meta.url));
      const slot = { worker, busy: 0 };
      worker.on('message', (reply: Reply) => {
        slot.busy--;
        const p = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (!p) return;
        if (reply.message) p.resolve(reply.message);
        else
          p.reject(reply.parseError ? new MessageParseError(reply.error!) : new Error(reply.error));
      });
      const failAll = (err: Error) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      };
      worker.on('error', failAll);
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing)
          failAll(new Error(`parse worker exited with code ${code}`));
      });
      this.workers.push(slot);
    }
  }

  parse = (input: RawMessage): Promise<ParsedMessage> => {
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    // A copy the worker can own: transferring avoids a second copy on the way.
    const raw = new Uint8Array(input.raw);
    return new Promise<ParsedMessage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.busy++;
      slot.worker.postMessage({ id, input: { ...input, raw } }, [raw.buffer]);
    });
  };

  async close() {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
