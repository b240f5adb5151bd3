import fs from 'node:fs';
import { once } from 'node:events';
import { generateMailbox, toMboxEntry, type GenerateOptions } from './generate-mailbox';

/** Writes a generated mailbox as an mbox file, streaming (any size, constant memory). */
export async function writeGeneratedMbox(file: string, options: GenerateOptions) {
  const out = fs.createWriteStream(file);
  let count = 0;
  for (const m of generateMailbox(options)) {
    if (!out.write(toMboxEntry(m))) await once(out, 'drain');
    count++;
  }
  out.end();
  await once(out, 'finish');
  return { file, messages: count };
}
