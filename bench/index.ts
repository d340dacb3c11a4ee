/**
 * The package's public entry (`serialization-footprint`): the codec contract a codec author
 * implements (`import type { Codec } from 'serialization-footprint'`) and the report schema a tool
 * reading results files uses, each with its version; and the helpers to test a codec before handing
 * it to `--codec-module`. The suite's internal options are not published.
 */
export type * from './types/codec.js';
export { CODEC_CONTRACT_VERSION } from './types/codec.js';
export type * from './types/report.js';
export { SCHEMA_VERSION } from './types/report.js';
export { checksumLoaded, checksumTuples } from './data/builtin.js';
export { generateTuples, iterateTuples, INTRINSIC_BYTES_PER_TUPLE, STRING_WIDTH } from './data/datasets/tuples.js';
export { CodecModuleError, codecProblems, loadCodecModule } from './codecs/external.js';
