import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DisplayHtml } from './display-html';
import { MessageParseError, parseMessage, type RawMessage } from './parse-message';
import type { ParsedMessage } from './parsed-message';

/** What a worker is asked: a message to parse, or stored raw HTML to make safe to show. */
type Task = { input: RawMessage; html?: undefined } | { html: string; input?: undefined };
type Job = {
  task: Task;
  /** Bytes (or characters) of input: the time limit grows with them. */
  size: number;
  resolve(answer: ParsedMessage | DisplayHtml): void;
  reject(e: Error): void;
};
type Reply = {
  id: number;
  message?: ParsedMessage;
  display?: DisplayHtml;
  error?: string;
  parseError?: boolean;
  ready?: boolean;
};
type Slot = {
  worker: Worker;
  /** Sent and not answered yet, in order: the worker parses one at a time, the first is current. */
  jobs: Map<number, Job>;
  timer: NodeJS.Timeout | null;
  /** Loaded (starting a worker is not charged to a message's time). */
  ready: boolean;
  error: string | null;
  /** The worker died of its heap limit: the message it was on is the cause. */
  outOfMemory: boolean;
  retired: boolean;
};

/**
 * A message may take this long to parse, plus PARSE_MS_PER_MB for each MB (a legitimate 50 MB
 * message takes some 15 s); one that takes longer is rejected, and its worker replaced.
 */
export const DEFAULT_PARSE_TIMEOUT_MS = 5_000;
/** A parse worker's heap; a message that needs more is rejected as its time limit rejects one. */
const WORKER_HEAP_MB = 512;
export const PARSE_MS_PER_MB = 1_000;

/**
 * Parses messages on worker threads so that a big import uses both cores: the importing
 * thread reads the file and stores batches while the workers run postal-mime. A worker parses
 * one message at a time; one that takes longer than `timeoutMs` (plus PARSE_MS_PER_MB a MB),
 * or kills its worker (a message too big for it), is rejected alone: the worker is replaced
 * and the messages queued behind it go to the new one.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly timeoutMs: number;
  private nextId = 0;
  private closing = false;

  constructor(options: { size?: number; timeoutMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
    const size = options.size ?? Math.max(1, os.availableParallelism() - 1);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(new Map()));
  }

  /**
   * A worker with a bounded heap (RSS stays flat on big imports), given `jobs` to do. The bound
   * leaves room for a message at the 50 MB cap: postal-mime holds each line of a text part as
   * an object (192 MB was too little for 650,000 lines).
   */
  private spawn(jobs: Map<number, Job>): Slot {
    const worker = new Worker(new URL('./parse-worker-entry.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const slot: Slot = {
      worker,
      jobs: new Map(),
      timer: null,
      ready: false,
      error: null,
      outOfMemory: false,
      retired: false,
    };
    worker.on('message', (reply: Reply) => {
      if (slot.retired) return;
      if (reply.ready) {
        slot.ready = true;
        this.startClock(slot);
        return;
      }
      const job = slot.jobs.get(reply.id);
      slot.jobs.delete(reply.id);
      this.startClock(slot);
      if (!job) return;
      const answer = reply.message ?? reply.display;
      if (answer) job.resolve(answer);
      else
        job.reject(reply.parseError ? new MessageParseError(reply.error!) : new Error(reply.error));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      slot.error = err.message;
      slot.outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
    });
    worker.on('exit', (code) => {
      if (this.closing || slot.retired) return;
      this.replace(
        slot,
        slot.outOfMemory
          ? new MessageParseError(`parse ran out of memory (over ${WORKER_HEAP_MB} MB)`)
          : new Error(`parse worker stopped (${slot.error ?? `exit code ${code}`})`),
      );
    });
    for (const [id, job] of jobs) this.send(slot, id, job);
    return slot;
  }

  private send(slot: Slot, id: number, job: Job) {
    slot.jobs.set(id, job);
    if (slot.jobs.size === 1) this.startClock(slot);
    const { input, html } = job.task;
    if (!input) return slot.worker.postMessage({ id, html });
    // A copy the worker can own: transferring avoids a second copy on the way.
    const raw = new Uint8Array(input.raw);
    slot.worker.postMessage({ id, input: { ...input, raw } }, [raw.buffer]);
  }

  /** Times the message the worker is on now (the oldest unanswered one). */
  private startClock(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const current = slot.jobs.values().next().value;
    if (!slot.ready || !current || this.closing) return;
    const ms = this.timeoutMs + (PARSE_MS_PER_MB * current.size) / 2 ** 20;
    slot.timer = setTimeout(() => {
      const seconds = Math.round(ms / 100) / 10;
      this.replace(slot, new MessageParseError(`parse timed out after ${seconds} s`));
    }, ms);
  }

  /** The current message fails with `error`; a new worker takes the rest. */
  private replace(slot: Slot, error: Error) {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.timer) clearTimeout(slot.timer);
    void slot.worker.terminate();
    const [current, ...rest] = slot.jobs;
    slot.jobs.clear();
    current?.[1].reject(error);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.spawn(new Map(rest));
  }

  parse = (input: RawMessage) =>
    this.run({ input }, input.raw.byteLength) as Promise<ParsedMessage>;

  /** Raw HTML stored before ingest sanitised it, made safe to show under the same limits. */
  displayHtml = (html: string) => this.run({ html }, html.length) as Promise<DisplayHtml>;

  private run(task: Task, size: number) {
    const slot = this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    return new Promise<ParsedMessage | DisplayHtml>((resolve, reject) => {
      this.send(slot, this.nextId++, { task, size, resolve, reject });
    });
  }

  async close() {
    this.closing = true;
    for (const slot of this.slots) if (slot.timer) clearTimeout(slot.timer);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * postal-mime spends some 15 µs a line (ten times that under 50 levels of nesting), so a
 * message's line count is what makes it slow to parse: one with more lines than this (some
 * 750 KB of mail) goes to a worker thread, the only place a parse that takes too long can be
 * stopped.
 */
export const IN_THREAD_MAX_LINES = 10_000;
/**
 * And its size is what makes its HTML slow to make safe to show (displayHtml: linear, some
 * 100 ms a MB at worst): a bigger message goes to a worker too, whatever its lines (one
 * line of 1 MB of nested tags is a whole message).
 */
export const IN_THREAD_MAX_BYTES = 64 * 1024;

function linesOver(raw: Uint8Array, limit: number) {
  let lines = 0;
  for (let i = raw.indexOf(0x0a); i >= 0; i = raw.indexOf(0x0a, i + 1)) {
    if (++lines > limit) return true;
  }
  return false;
}

export type MessageParser = {
  parse(input: RawMessage): Promise<ParsedMessage>;
  close(): Promise<void>;
};

/**
 * The importer's parser. `parallel`: every message on worker threads (a big file keeps both
 * cores busy). Otherwise messages are parsed here, except long ones, which go to one worker
 * started when first needed; either way a message on a worker is stopped after `timeoutMs`.
 */
export function messageParser(options: { parallel: boolean; timeoutMs?: number }): MessageParser {
  const pool = options.parallel ? new ParsePool({ timeoutMs: options.timeoutMs }) : null;
  /** The one worker for long messages when the rest are parsed here. */
  let longPool: ParsePool | null = null;
  return {
    parse: (input) => {
      if (pool) return pool.parse(input);
      const small =
        input.raw.byteLength <= IN_THREAD_MAX_BYTES && !linesOver(input.raw, IN_THREAD_MAX_LINES);
      if (small) return parseMessage(input);
      longPool ??= new ParsePool({ size: 1, timeoutMs: options.timeoutMs });
      return longPool.parse(input);
    },
    close: async () => {
      await Promise.all([pool?.close(), longPool?.close()]);
    },
  };
}
