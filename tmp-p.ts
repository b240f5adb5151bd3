import { parseQuestion } from '@/server/assistant/parse-question';
for (const q of process.argv.slice(2)) console.log(q.padEnd(50), JSON.stringify(parseQuestion(q, { now: new Date('2026-11-24T12:00:00Z') })));
