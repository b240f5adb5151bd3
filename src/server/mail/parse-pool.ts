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
  private readonly workers: { worker: Worker; busy: number; ids: Set<number> }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing = false;

  constructor(size = Math.max(1, os.availableParallelism() - 1)) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /**
   * A worker with a bounded heap (RSS stays flat on big imports); one that dies (a message too
   * big for it) fails only the messages it held and is replaced.
   */
  private spawn() {
    const worker = new Worker(new URL('./parse-worker-entry.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 192 },
    });
    const slot = { worker, busy: 0, ids: new Set<number>() };
    worker.on('message', (reply: Reply) => {
      slot.busy--;
      slot.ids.delete(reply.id);
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!p) return;
      if (reply.message) p.resolve(reply.message);
      else
        p.reject(reply.parseError ? new MessageParseError(reply.error!) : new Error(reply.error));
    });
    const fail = (err: Error) => {
      for (const id of slot.ids) {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
      }
      slot.ids.clear();
      slot.busy = 0;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.closing) return;
      fail(new Error(`parse worker stopped (code ${code})`));
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers[i] = this.spawn();
    });
    return slot;
  }

  parse = (input: RawMessage): Promise<ParsedMessage> => {
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    // A copy the worker can own: transferring avoids a second copy on the way.
    const raw = new Uint8Array(input.raw);
    return new Promise<ParsedMessage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.busy++;
      slot.ids.add(id);
      slot.worker.postMessage({ id, input: { ...input, raw } }, [raw.buffer]);
    });
  };

  async close() {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
