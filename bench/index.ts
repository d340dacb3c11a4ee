/**
 * The package's public entry (`serialization-footprint`): the types a codec
 * author implements (`import type { Codec } from 'serialization-footprint'`)
 * and the helpers to test one before handing it to `--codec-module`.
 */
export type * from './types.js';
export { checksumLoaded, checksumTuples, generateTuples, iterateTuples, INTRINSIC_BYTES_PER_TUPLE, STRING_WIDTH } from './data/datasets/tuples.js';
export { CodecModuleError, codecProblems, loadCodecModule } from './codecs/external.js';
