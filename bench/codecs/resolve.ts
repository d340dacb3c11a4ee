/** Find a codec by name among the built-in ones and any user modules given with --codec-module. */
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import type { Codec } from '../types.js';
import { CODECS, codecNames } from './index.js';

/** Import a user codec module (default export or `codec` export). Validation of its members lives with the external-codec support. */
export async function importCodecModule(path: string): Promise<Codec> {
  const mod = (await import(pathToFileURL(resolvePath(path)).href)) as { default?: Codec; codec?: Codec };
  const codec = mod.default ?? mod.codec;
  if (!codec || typeof codec !== 'object') throw new Error(`${path}: exports no codec (expected a default export or an export named 'codec')`);
  return codec;
}

export async function resolveCodec(name: string, modules: readonly string[]): Promise<Codec> {
  const builtin = CODECS.find((c) => c.name === name);
  if (builtin) return builtin;
  const external: Codec[] = [];
  for (const m of modules) {
    const c = await importCodecModule(m);
    if (c.name === name) return c;
    external.push(c);
  }
  throw new Error(`unknown codec '${name}'; valid codecs: ${[...codecNames(), ...external.map((c) => c.name)].join(', ')}`);
}
