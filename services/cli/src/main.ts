import { CiemError, ConfigError, messageOf } from '@ciem/errors';
import { Command, CommanderError } from 'commander';
import { registerEntitlementsCommand } from './commands/entitlements.js';
import { registerNormalizeCommand } from './commands/normalize.js';
import { registerRunCommand } from './commands/run.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { EXIT_CONFIG_INVALID, EXIT_OK, EXIT_RUNTIME_FAILURE } from '@ciem/runtime';

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
    .exitOverride();
  registerEntitlementsCommand(program);
  registerNormalizeCommand(program);
  registerRunCommand(program);
  registerSimulateCommand(program);
  for (const command of program.commands)
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/**
 * Runs the command line and returns the exit code: 0 when the command succeeded, 1 when it
 * ran and failed (an unreadable input, a failed dependency, a bug), 2 when the command line
 * itself is invalid and nothing was done. The services use the same codes.
 */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version requests end through the same path with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_CONFIG_INVALID;
    }
    const code = error instanceof CiemError ? `${error.code}: ` : '';
    process.stderr.write(`ciem: ${code}${messageOf(error)}\n`);
    // Invalid options found after parsing (a missing partner option, say) are usage errors too.
    if (error instanceof ConfigError) return EXIT_CONFIG_INVALID;
    if (!(error instanceof CiemError) && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    return EXIT_RUNTIME_FAILURE;
  }
}

process.exitCode = await main(process.argv);
