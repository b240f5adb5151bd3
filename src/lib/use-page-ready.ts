'use client';

import { useEffect } from 'react';

/**
 * Marks the page ready (hydrated, its data on screen) for the web benchmark: sets
 * `<html data-ready="name">` and a `rapport-ready` performance mark, once.
 */
export function usePageReady(name: string, ready: boolean) {
  useEffect(() => {
    if (!ready || document.documentElement.dataset.ready === name) return;
    document.documentElement.dataset.ready = name;
    performance.mark('rapport-ready', { detail: name });
  }, [name, ready]);
}
