export type { NormalizeContext, NormalizeResult } from './internal/context.js';
