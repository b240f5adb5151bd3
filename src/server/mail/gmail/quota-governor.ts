/**
 * Paces one Gmail user's requests just under Google's per-user quota: a token bucket (units
 * per second, with a burst) and a sliding minute. Requests wait their turn in order; a 429
 * pauses everyone (no retry storm). One governor per Gmail user, shared by all of that user's
 * concurrent requests in this process.
 */
export type QuotaLimits = { unitsPerSecond: number; burst: number; unitsPerMinute: number };

/** Gmail allows 250 units/s (burst 250) and 15,000 a minute per user; stay a little under. */
export const GMAIL_QUOTA: QuotaLimits = { unitsPerSecond: 240, burst: 240, unitsPerMinute: 14_700 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class QuotaGovernor {
  private tokens: number;
  private at = Date.now();
  private pausedUntil = 0;
  private readonly window: { at: number; units: number }[] = [];
  private tail: Promise<void> = Promise.resolve();
  /** Units granted so far (for figures). */
  granted = 0;

  /** The pace in force: the configured one, or slower after the server said so (backOff). */
  private rate: number;
  private burst: number;

  constructor(private readonly limits: QuotaLimits = GMAIL_QUOTA) {
    this.tokens = limits.burst;
    this.rate = limits.unitsPerSecond;
    this.burst = limits.burst;
  }

  /**
   * The server answered 429 although we kept to the configured pace (the limit is lower than
   * configured, or shared): wait as told, then go one request per wait and speed up again
   * gradually as requests succeed.
   */
  backOff(waitMs: number) {
    this.pause(waitMs);
    this.rate = Math.min(this.rate, Math.max(0.05, 1000 / Math.max(waitMs, 100)));
    this.burst = 1;
  }

  /** A success after backing off: 10% faster, up to the configured pace. */
  recover() {
    if (this.rate >= this.limits.unitsPerSecond) return;
    this.rate = Math.min(this.limits.unitsPerSecond, this.rate * 1.1);
    if (this.rate >= this.limits.unitsPerSecond) this.burst = this.limits.burst;
  }

  /** Resolves when `units` may be spent now. */
  take(units: number): Promise<void> {
    const turn = this.tail.then(() => this.acquire(units));
    this.tail = turn.catch(() => {});
    return turn;
  }

  /** After a rate-limit answer: nobody sends for `ms`. */
  pause(ms: number) {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.tokens = 0;
  }

  private async acquire(units: number) {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
      this.at = now;
      while (this.window.length && now - this.window[0]!.at >= 60_000) this.window.shift();
      const minuteUsed = this.window.reduce((s, w) => s + w.units, 0);
      let wait = Math.max(0, this.pausedUntil - now);
      if (this.tokens < units) wait = Math.max(wait, ((units - this.tokens) / this.rate) * 1000);
      if (minuteUsed + units > this.limits.unitsPerMinute && this.window.length)
        wait = Math.max(wait, 60_000 - (now - this.window[0]!.at));
      if (wait <= 0) {
        this.tokens -= units;
        this.window.push({ at: now, units });
        this.granted += units;
        return;
      }
      await sleep(Math.ceil(wait));
    }
  }
}

const governors = new Map<string, QuotaGovernor>();

/** The process's governor for one Gmail user (by address). */
export function governorFor(key: string, limits: QuotaLimits = GMAIL_QUOTA) {
  let g = governors.get(key);
  if (!g) governors.set(key, (g = new QuotaGovernor(limits)));
  return g;
}
