/**
 * Exit codes of the `ciem` command. Scripts may rely on them; they match the services'
 * codes where the meaning is shared.
 */
export const EXIT_OK = 0;
/** The command ran and failed: an input could not be read, a dependency failed, a bug. */
export const EXIT_FAILURE = 1;
/** The command line or configuration is invalid; nothing was done. */
export const EXIT_USAGE = 2;
