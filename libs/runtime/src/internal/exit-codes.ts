/** Exit code of a clean stop: every stage finished its in-flight work before the deadline. */
export const EXIT_OK = 0;

/**
 * Exit code of a runtime failure: a stage failed to start, its run loop failed, its `stop`
 * threw, the shutdown deadline passed, a second signal arrived, or an exception went uncaught.
 */
export const EXIT_RUNTIME_FAILURE = 1;

/** Exit code of invalid configuration, found before anything connected. */
export const EXIT_CONFIG_INVALID = 2;

/** One of the exit codes above. */
export type ExitCode = typeof EXIT_OK | typeof EXIT_RUNTIME_FAILURE | typeof EXIT_CONFIG_INVALID;
