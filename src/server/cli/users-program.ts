import { Option, type Command } from 'commander';
import { runWithDatabase } from './run-with-database';

/** `rapport users …`: create, set a password, invite (passwords never on the command line). */
export function addUsersCommands(
  program: Command,
  print: (result: unknown, json: boolean) => void,
) {
  const users = program.command('users').description('manage users');
  users
    .command('create')
    .description(
      'create a user with email and password (the password is typed, or read from stdin)',
    )
    .requiredOption('--email <email>')
    .option('--name <name>', 'display name', 'Rapport User')
    .addOption(new Option('--password <password>').hideHelp())
    .option('--json', 'print JSON')
    .action(async (opts: { email: string; password?: string; name: string; json?: boolean }) => {
      refusePasswordArgument(opts.password);
      const { readPassword } = await import('@/server/cli/read-password');
      const password = await readPassword();
      print(
        await runWithDatabase('users.create', { email: opts.email, name: opts.name, password }),
        Boolean(opts.json),
      );
    });
  users
    .command('set-password')
    .description('set a user’s password (typed, or read from stdin)')
    .requiredOption('--email <email>')
    .addOption(new Option('--password <password>').hideHelp())
    .action(async (opts: { email: string; password?: string }) => {
      refusePasswordArgument(opts.password);
      const { readPassword } = await import('@/server/cli/read-password');
      const password = await readPassword('New password: ');
      await runWithDatabase('users.set-password', { email: opts.email, password });
      console.log(`Password set for ${opts.email}; their other sessions are signed out.`);
    });

  users
    .command('invite')
    .description('a single-use sign-up link from a user (taken when RAPPORT_SIGNUP=invite)')
    .option('-u, --user <email>', 'who invites (default: the only user)')
    .option('--email <email>', 'the only address the link admits (default: whoever has it)')
    .option('--days <n>', 'how long it stays good (1 to 30)', Number, 7)
    .action(async (opts: { user?: string; email?: string; days: number }) => {
      const r = (await runWithDatabase('users.invite', opts)) as {
        url: string;
        expiresAt: string;
        signup: string;
      };
      console.log(r.url);
      console.error(`Good once, until ${new Date(r.expiresAt).toISOString().slice(0, 10)}.`);
      if (r.signup !== 'invite')
        console.error(
          `Note: sign-up here is ${r.signup}; invitations are taken only with RAPPORT_SIGNUP=invite.`,
        );
    });
}

/** A password on the command line is visible to every user of the machine (`ps`). */
function refusePasswordArgument(password: string | undefined) {
  if (password !== undefined)
    throw new Error(
      '--password is not accepted (the command line is visible to every user through ps): type it at the prompt, or pipe it on stdin',
    );
}
