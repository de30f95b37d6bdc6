export { EXIT_CONFIG_INVALID, EXIT_OK, EXIT_RUNTIME_FAILURE } from './internal/exit-codes.js';
export type { ExitCode } from './internal/exit-codes.js';
export { serviceSettings } from './internal/service-settings.js';
export type { Stage, StageContext, StageHealth } from './internal/stage.js';
export { runService } from './internal/run-service.js';
export type { RunServiceOptions, RunningService } from './internal/run-service.js';
export type { MetricsSource, Readiness } from './internal/probe-server.js';
export { loadConfigOrExit } from './internal/load-config-or-exit.js';
export type { LoadConfigOrExitOptions } from './internal/load-config-or-exit.js';
