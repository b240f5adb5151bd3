'use client';

import { useEffect, useRef } from 'react';

export type LiveEvent = {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: string;
};

/**
 * Follows the signed-in user's events over SSE, optionally only some types. EventSource
 * reconnects by itself and sends Last-Event-ID, so the server replays what was missed.
 */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, types?: string[]) {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const key = types?.join(',') ?? '';
  useEffect(() => {
    const wanted = key ? new Set(key.split(',')) : null;
    const source = new EventSource('/api/events/stream');
    source.onmessage = (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as LiveEvent;
      if (!wanted || wanted.has(event.type)) handler.current(event);
    };
    return () => source.close();
  }, [key]);
}
