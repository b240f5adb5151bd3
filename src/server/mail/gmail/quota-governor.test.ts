import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuotaGovernor } from './quota-governor';

describe('QuotaGovernor', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const settled = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('spends the burst at once, then paces at the refill rate, in order', async () => {
    const g = new QuotaGovernor({ unitsPerSecond: 100, burst: 100, unitsPerMinute: 10_000 });
    expect(await settled(g.take(100))).toBe(true);
    const second = g.take(50);
    const third = g.take(50);
    expect(await settled(second)).toBe(false);
    await vi.advanceTimersByTimeAsync(499);
    expect(await settled(second)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(await settled(third)).toBe(true);
    expect(g.granted).toBe(200);
  });

  it('keeps a sliding minute under its ceiling', async () => {
    const g = new QuotaGovernor({
      unitsPerSecond: 1_000_000,
      burst: 1_000_000,
      unitsPerMinute: 300,
    });
    expect(await settled(g.take(300))).toBe(true);
    const over = g.take(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(await settled(over)).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(over)).toBe(true);
  });

  it('holds everyone back after a rate-limit answer', async () => {
    const g = new QuotaGovernor({ unitsPerSecond: 1000, burst: 1000, unitsPerMinute: 100_000 });
    g.pause(2000);
    const next = g.take(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(await settled(next)).toBe(true);
  });

  it('after a 429 goes one request per wait, then speeds up as requests succeed', async () => {
    const g = new QuotaGovernor({ unitsPerSecond: 1000, burst: 1000, unitsPerMinute: 1_000_000 });
    g.backOff(1000);
    const a = g.take(1);
    const b = g.take(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(a)).toBe(true);
    expect(await settled(b)).toBe(false); // one per second now
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(b)).toBe(true);
    for (let i = 0; i < 80; i++) g.recover();
    const burst = [g.take(1), g.take(1), g.take(1)];
    await vi.advanceTimersByTimeAsync(5);
    expect(await Promise.all(burst.map(settled))).toEqual([true, true, true]);
  });
});
