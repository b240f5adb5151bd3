export type SseMessage = {
  id?: string;
  data: { id: number; type: string; payload: Record<string, unknown> };
};

/** Reads SSE frames from a Response body as they arrive. */
export function readSse(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  let comments = 0;
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        if (lines.every((l) => l.startsWith(':'))) comments++;
        const data = lines.find((l) => l.startsWith('data: '));
        if (!data) continue;
        const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
        messages.push({ id, data: JSON.parse(data.slice(6)) });
      }
    }
  })();
  return {
    messages,
    heartbeats: () => comments,
    async close() {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}
