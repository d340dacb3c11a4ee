/** The Node flags every measured child runs with (recorded in each report's environment.nodeFlags). */
import { CHILD_NODE_FLAGS, REPRODUCIBLE_GC_FLAGS, REPRODUCIBLE_JIT_FLAGS } from '../constants.js';
import type { SuiteOptions } from '../types.js';

export function childFlags(opts: Pick<SuiteOptions, 'maxOldSpaceSizeMb' | 'concurrentGc' | 'concurrentJit'>): string[] {
  return [
    ...CHILD_NODE_FLAGS,
    ...(opts.concurrentGc ? [] : REPRODUCIBLE_GC_FLAGS),
    ...(opts.concurrentJit ? [] : REPRODUCIBLE_JIT_FLAGS),
    `--max-old-space-size=${opts.maxOldSpaceSizeMb}`,
  ];
}
