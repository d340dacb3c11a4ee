/** Find a codec by name among the built-in ones and any user modules given with --codec-module. */
import type { Codec } from '../types.js';
import { loadCodecModule } from './external.js';
import { CODEC_NAMES, CODECS, unknownCodecError } from './index.js';

export async function resolveCodec(name: string, modules: readonly string[]): Promise<Codec> {
  const builtin = CODECS.find((c) => c.name === name);
  if (builtin) return builtin;
  const external: Codec[] = [];
  for (const m of modules) {
    const c = await loadCodecModule(m);
    if (c.name === name) return c;
    external.push(c);
  }
  throw unknownCodecError(name, [...CODEC_NAMES, ...external.map((c) => c.name)]);
}

/** The --codec-module path that defines codec `name`; undefined for a built-in codec (or no such module). */
export async function ownModuleOf(name: string, modules: readonly string[]): Promise<string | undefined> {
  if (CODECS.some((c) => c.name === name)) return undefined;
  for (const m of modules) if ((await loadCodecModule(m)).name === name) return m;
  return undefined;
}
