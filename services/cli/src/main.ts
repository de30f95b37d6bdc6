import { CiemError, ConfigError, messageOf } from '@ciem/errors';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { EXIT_CONFIG_INVALID, EXIT_OK, EXIT_RUNTIME_FAILURE } from '@ciem/runtime';

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

// A reader that closes the pipe early (`ciem normalize logs/ | head`) has all it wants, so
// the command ends quietly instead of crashing on the next write.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(EXIT_OK);
});

process.exitCode = await main(process.argv);
