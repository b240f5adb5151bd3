import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local model server speaking two real protocols on 127.0.0.1: OpenAI chat completions
 * (`POST /v1/chat/completions`, as OpenAI, Ollama, vLLM and LM Studio serve it) and Anthropic
 * Messages (`POST /v1/messages`), each streamed (SSE) or not, with tool calls, plus
 * `GET /v1/models`. What the "model" says is scripted by the test, one step per request.
 */

export type ToolCallStep = { name: string; arguments: string | Record<string, unknown> };
export type ScriptStep =
  | { text: string }
  | { toolCalls: ToolCallStep[]; text?: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Accepts the request and never answers (a hung model). */
  | { hang: true };

export type RecordedRequest = {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
};

export type FakeLlm = {
  url: string;
  models: string[];
  requests: RecordedRequest[];
  /** GET /v1/models answered so far (checks of whether the model answers). */
  modelChecks: () => number;
  script(...steps: ScriptStep[]): void;
  close(): Promise<void>;
};

let counter = 0;
const id = (prefix: string) => `${prefix}_${++counter}`;
const argsText = (a: ToolCallStep['arguments']) => (typeof a === 'string' ? a : JSON.stringify(a));

/** Splits a string into a few pieces, as a streaming model would send it. */
function pieces(s: string, n = 3): string[] {
  if (s.length <= n) return [s];
  const size = Math.ceil(s.length / n);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function openAiResponse(step: { text?: string; toolCalls?: ToolCallStep[] }, model: string) {
  const toolCalls = step.toolCalls?.map((c) => ({
    id: id('call'),
    type: 'function',
    function: { name: c.name, arguments: argsText(c.arguments) },
  }));
  return {
    id: id('chatcmpl'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: step.text ?? null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: toolCalls ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
  };
}

function openAiStream(
  res: http.ServerResponse,
  step: { text?: string; toolCalls?: ToolCallStep[] },
  model: string,
) {
  const base = {
    id: id('chatcmpl'),
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
  };
  const send = (choice: Record<string, unknown>) =>
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, finish_reason: null, ...choice }] })}\n\n`,
    );
  send({ delta: { role: 'assistant', content: '' } });
  for (const p of step.text ? pieces(step.text) : []) send({ delta: { content: p } });
  step.toolCalls?.forEach((c, index) => {
    const args = argsText(c.arguments);
    send({
      delta: {
        tool_calls: [
          { index, id: id('call'), type: 'function', function: { name: c.name, arguments: '' } },
        ],
      },
    });
    for (const p of pieces(args))
      send({ delta: { tool_calls: [{ index, function: { arguments: p } }] } });
  });
  send({ delta: {}, finish_reason: step.toolCalls ? 'tool_calls' : 'stop' });
  res.write(
    `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 } })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

function anthropicContent(step: { text?: string; toolCalls?: ToolCallStep[] }) {
  return [
    ...(step.text ? [{ type: 'text', text: step.text }] : []),
    ...(step.toolCalls ?? []).map((c) => ({
      type: 'tool_use',
      id: id('toolu'),
      name: c.name,
      input: typeof c.arguments === 'string' ? safeJson(c.arguments) : c.arguments,
    })),
  ];
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { _raw: s };
  }
}

function anthropicStream(
  res: http.ServerResponse,
  step: { text?: string; toolCalls?: ToolCallStep[] },
  model: string,
) {
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', {
    message: {
      id: id('msg'),
      type: 'message',
      role: 'assistant',
      content: [],
      model,
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 1 },
    },
  });
  let index = 0;
  if (step.text) {
    event('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const p of pieces(step.text))
      event('content_block_delta', { index, delta: { type: 'text_delta', text: p } });
    event('content_block_stop', { index });
    index++;
  }
  for (const c of step.toolCalls ?? []) {
    event('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: id('toolu'), name: c.name, input: {} },
    });
    for (const p of pieces(argsText(c.arguments)))
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: p } });
    event('content_block_stop', { index });
    index++;
  }
  event('message_delta', {
    delta: { stop_reason: step.toolCalls?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: 10 },
  });
  event('message_stop', {});
  res.end();
}

export async function startFakeLlm(options: { models?: string[] } = {}): Promise<FakeLlm> {
  const queue: ScriptStep[] = [];
  const requests: RecordedRequest[] = [];
  const models = options.models ?? ['fake-model'];
  const hung = new Set<http.ServerResponse>();
  let checks = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      if (req.method === 'GET' && path === '/v1/models') {
        checks++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            data: models.map((m) => ({ id: m, object: 'model', type: 'model' })),
          }),
        );
        return;
      }
      const isOpenAi = req.method === 'POST' && path === '/v1/chat/completions';
      const isAnthropic = req.method === 'POST' && path === '/v1/messages';
      if (!isOpenAi && !isAnthropic) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `No route ${req.method} ${path}` } }));
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { type: 'invalid_request_error', message: 'Body is not JSON' } }),
        );
        return;
      }
      requests.push({ path, headers: req.headers, body });
      const step = queue.shift() ?? { text: 'I have no scripted answer.' };
      const model = String(body.model ?? 'fake-model');
      if ('hang' in step) {
        hung.add(res);
        return;
      }
      if ('status' in step) {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
        res.end(
          JSON.stringify(
            step.body ??
              (isAnthropic
                ? {
                    type: 'error',
                    error: { type: 'api_error', message: `Scripted ${step.status}` },
                  }
                : {
                    error: { message: `Scripted ${step.status}`, type: 'server_error', code: null },
                  }),
          ),
        );
        return;
      }
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        if (isOpenAi) openAiStream(res, step, model);
        else anthropicStream(res, step, model);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          isOpenAi
            ? openAiResponse(step, model)
            : {
                id: id('msg'),
                type: 'message',
                role: 'assistant',
                model,
                content: anthropicContent(step),
                stop_reason: 'toolCalls' in step && step.toolCalls.length ? 'tool_use' : 'end_turn',
                stop_sequence: null,
                usage: { input_tokens: 20, output_tokens: 10 },
              },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    models,
    modelChecks: () => checks,
    requests,
    script: (...steps) => queue.push(...steps),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
