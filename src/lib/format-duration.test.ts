import { describe, expect, it } from 'vitest';
import { everyText, formatAgo, formatDays, formatHours } from './format-duration';

describe('formatHours', () => {
  it('says minutes under an hour, never "0 minutes"', () => {
    expect(formatHours(0)).toBe('1 minute');
    expect(formatHours(0.004)).toBe('1 minute');
    expect(formatHours(0.5)).toBe('30 minutes');
    expect(formatHours(0.999)).toBe('1 hour');
  });

  it('says hours with one decimal under two days', () => {
    expect(formatHours(1)).toBe('1 hour');
    expect(formatHours(1.04)).toBe('1 hour');
    expect(formatHours(3.25)).toBe('3.3 hours');
    expect(formatHours(47.9)).toBe('47.9 hours');
  });

  it('says days from two days on', () => {
    expect(formatHours(47.96)).toBe('2 days');
    expect(formatHours(48)).toBe('2 days');
    expect(formatHours(412.3)).toBe('17.2 days');
    expect(formatHours(24 * 365)).toBe('365 days');
  });
});

describe('formatAgo', () => {
  it('says days, then months, then years', () => {
    expect(formatAgo(0.5)).toBe('today');
    expect(formatAgo(1.2)).toBe('yesterday');
    expect(formatAgo(3)).toBe('3 days ago');
    expect(formatAgo(59)).toBe('59 days ago');
    expect(formatAgo(60)).toBe('2 months ago');
    expect(formatAgo(729)).toBe('24 months ago');
    expect(formatAgo(9500)).toBe('26 years ago');
  });
});

describe('formatDays', () => {
  it('says a span of days in the unit that reads best', () => {
    expect(formatDays(0.2)).toBe('1 day');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(45)).toBe('45 days');
    expect(formatDays(400)).toBe('13 months');
    expect(formatDays(9347)).toBe('26 years');
  });
});

describe('everyText', () => {
  it('says how often in days, weeks, months or years (hours only under a day)', () => {
    expect(everyText(0.01)).toBe('every hour');
    expect(everyText(0.375)).toBe('every 9 hours');
    expect(everyText(1.2)).toBe('every day');
    expect(everyText(3.4)).toBe('every 3 days');
    expect(everyText(10)).toBe('every 10 days');
    expect(everyText(14)).toBe('every 2 weeks');
    expect(everyText(7)).toBe('every 7 days');
    expect(everyText(45)).toBe('every 6 weeks');
    expect(everyText(61)).toBe('every 2 months');
    expect(everyText(200)).toBe('every 7 months');
    expect(everyText(400)).toBe('every year');
    expect(everyText(800)).toBe('every 2 years');
  });
});
