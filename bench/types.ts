/**
 * Every type of the suite, by audience, for the suite's own modules: the codec contract
 * (types/codec.ts, public), the report schema (types/report.ts, public) and the internal options
 * (types/internal.ts). The package publishes only the public two (bench/index.ts).
 */
export * from './types/codec.js';
export type * from './types/internal.js';
export * from './types/report.js';
