import { Command } from 'commander';
import { registerEntitlementsCommand } from './commands/entitlements.js';
import { registerNormalizeCommand } from './commands/normalize.js';
import { registerRunCommand } from './commands/run.js';
import { registerSimulateCommand } from './commands/simulate.js';

/** One line per command for `ciem --help`; each command's own help has the full text. */
const SUMMARIES: Readonly<Record<string, string>> = {
  entitlements: 'evaluate IAM exports: permissions, admin status and risk findings per principal',
  normalize: 'print log records as normalized events (NDJSON), or a mapping report',
  run: 'read logs (and IAM exports) and write events, usage, alerts and right-sizing to a folder',
  simulate: 'write a simulated estate: grants, activity logs and its ground truth',
};

/**
 * Builds the `ciem` program. Each subcommand lives in `commands/` and only parses options
 * and prints; the work is done by the libraries.
 */
export function buildProgram(): Command {
  const program = new Command('ciem')
    .description(
      'Cloud entitlement management: compare the permissions identities use with the ones they hold.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nTry it: ciem simulate --out estate && ciem run estate --out results\nEach command has --help. Exit codes: 0 success, 1 the command ran and failed, 2 invalid command line.',
    )
    .exitOverride();
  registerEntitlementsCommand(program);
  registerNormalizeCommand(program);
  registerRunCommand(program);
  registerSimulateCommand(program);
  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
    const summary = SUMMARIES[command.name()];
    if (summary !== undefined) command.summary(summary);
  }
  return program;
}
