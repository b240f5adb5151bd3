/**
 * A password for the CLI, never from its arguments (`ps` shows every process's command line to
 * every user of the machine): typed at a prompt that does not echo it, twice, or, when stdin is
 * not a terminal, its first line (`printf '%s\n' "$PW" | rapport users create …`).
 */
export async function readPassword(prompt = 'Password: '): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    const password = text.split(/\r?\n/)[0] ?? '';
    if (!password) throw new Error('No password on stdin (its first line is the password)');
    return password;
  }
  const first = await promptHidden(prompt);
  const again = await promptHidden('Again: ');
  if (first !== again) throw new Error('The passwords differ');
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let typed = '';
  return new Promise<string>((resolve, reject) => {
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chars: string) => {
      for (const c of chars) {
        if (c === '\r' || c === '\n') return done();
        if (c === '\u0003') return done(new Error('Cancelled'));
        if (c === '\u007f' || c === '\b') typed = typed.slice(0, -1);
        else typed += c;
      }
    };
    stdin.on('data', onData);
  });
}
