export { runEmbedded } from './internal/run-embedded.js';
export type { EmbeddedRunOptions } from './internal/run-embedded.js';
export type { RunSummary, RunProgress, ProviderCounts } from './internal/run-summary.js';
export { formatRightsizingTop, runRightsizingStep } from './internal/rightsizing-step.js';
export type {
  RightsizingStepOptions,
  RightsizingStepSummary,
  RightsizingTopEntry,
} from './internal/rightsizing-step.js';
export { InProcessBus } from './internal/bus.js';
export { loadCountryLookup, loadCountryPoints } from './internal/geoip.js';
export type { CountryPoint } from './internal/geoip.js';
export type { BusMessage, BusHandler } from './internal/bus.js';
export { resolveInputs } from './internal/inputs.js';
export * from './internal/distributed/index.js';
