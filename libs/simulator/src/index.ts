export { simulateEstate } from './internal/simulate.js';
export type { SimulationSummary } from './internal/simulate.js';
export type { SimulateOptions } from './internal/options.js';
export type { EstateFile, EstateSink } from './internal/sink.js';
export { createDirectorySink } from './internal/fs-sink.js';
export type { DirectorySinkOptions } from './internal/fs-sink.js';
export { createMemorySink } from './internal/memory-sink.js';
export type { MemorySink } from './internal/memory-sink.js';
export { SIMULATOR_ERROR_CODES } from './internal/errors.js';
