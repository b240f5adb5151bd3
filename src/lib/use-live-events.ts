'use client';

import { useEffect, useRef } from 'react';

export type LiveEvent = {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: string;
};

type Listener = (event: LiveEvent) => void;

/**
 * One EventSource per tab, shared by every component that follows events: browsers allow six
 * HTTP/1.1 connections per host across all tabs, and a page with a stream per component held
 * most of them (Settings four), stalling every other request. Opened with the first listener,
 * closed a moment after the last (a navigation that swaps components keeps it).
 */
const listeners = new Set<Listener>();
let source: EventSource | null = null;
let closing: ReturnType<typeof setTimeout> | null = null;
let reopening: ReturnType<typeof setTimeout> | null = null;

function open() {
  source = new EventSource('/api/events/stream');
  source.onmessage = (e: MessageEvent<string>) => {
    const event = JSON.parse(e.data) as LiveEvent;
    for (const listener of [...listeners]) listener(event);
  };
  // EventSource reconnects by itself (sending Last-Event-ID, so the server replays what was
  // missed), except when refused (too many streams, signed out): then try again later.
  source.onerror = () => {
    if (source?.readyState !== EventSource.CLOSED) return;
    source = null;
    reopening ??= setTimeout(() => {
      reopening = null;
      if (listeners.size && !source) open();
    }, 30_000);
  };
}

function subscribe(listener: Listener) {
  listeners.add(listener);
  if (closing) clearTimeout(closing);
  closing = null;
  if (!source && !reopening) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size || closing) return;
    closing = setTimeout(() => {
      closing = null;
      if (listeners.size) return;
      source?.close();
      source = null;
    }, 1000);
  };
}

/** Follows the signed-in user's events over the tab's one stream, optionally only some types. */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, types?: string[]) {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const key = types?.join(',') ?? '';
  useEffect(() => {
    const wanted = key ? new Set(key.split(',')) : null;
    return subscribe((event) => {
      if (!wanted || wanted.has(event.type)) handler.current(event);
    });
  }, [key]);
}
