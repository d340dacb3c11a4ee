/**
 * The user's own codec: `--codec-module ./my-codec.js` names an ES module (or
 * CommonJS file) exporting an object that implements `Codec` (bench/types.ts),
 * as its default export or as a named export `codec`. It is checked member by
 * member here, once in the parent and again in every measured child, so a bad
 * module is refused before anything runs, with every problem named.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Codec, LOAD_RETURNS } from '../types.js';
import { CODEC_NAMES } from './index.js';
import { InputError, errorText } from '../errors.js';

/** A codec module that cannot be imported or does not implement `Codec`. An input error: exit 2, nothing run. */
export class CodecModuleError extends InputError {
  override name = 'CodecModuleError';
  constructor(
    readonly modulePath: string,
    problem: string,
  ) {
    super(`codec module ${modulePath}: ${problem}`);
  }
}

/** What Node imports with no loader: measured children run plain compiled JavaScript. */
const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** Names and extensions end up in file names and in comma-separated `--codecs` lists. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const MEMBERS = {
  name: 'a string, letters, digits, ".", "_" or "-"',
  kind: "'whole' or 'stream'",
  extension: 'a file extension string without the leading dot',
  description: 'a one-sentence string',
  dump: 'a function dump(data, path): Promise<void>',
  load: 'a function load(path): Promise<LoadedData>',
} as const;

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** Every way `value` falls short of `Codec`; empty when it is one. */
export function codecProblems(value: unknown, builtInNames: readonly string[] = CODEC_NAMES): string[] {
  if (typeof value !== 'object' || value === null) return [`the export is ${show(value)}, expected an object implementing Codec`];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  const check = (key: keyof typeof MEMBERS, ok: (x: unknown) => boolean): void => {
    if (!(key in v) || v[key] === undefined) problems.push(`missing \`${key}\` (${MEMBERS[key]})`);
    else if (!ok(v[key])) problems.push(`\`${key}\` must be ${MEMBERS[key]}, got ${show(v[key])}`);
  };
  check('name', (x) => typeof x === 'string' && SAFE_NAME.test(x));
  check('kind', (x) => x === 'whole' || x === 'stream');
  check('extension', (x) => typeof x === 'string' && SAFE_NAME.test(x));
  check('description', (x) => typeof x === 'string' && x.trim().length > 0);
  if (v.forDataset !== undefined && typeof v.forDataset !== 'function')
    problems.push(`\`forDataset\` must be a function forDataset(dataset) returning { dump, load } or { unsupported, path }, got ${show(v.forDataset)}`);
  check('dump', (x) => typeof x === 'function');
  check('load', (x) => typeof x === 'function');
  if (v.packages !== undefined && !(Array.isArray(v.packages) && v.packages.every((p) => typeof p === 'string'))) {
    problems.push(`\`packages\` must be an array of package names, got ${show(v.packages)}`);
  }
  if (v.returns !== undefined && !(LOAD_RETURNS as readonly unknown[]).includes(v.returns)) {
    problems.push(`\`returns\` must be ${LOAD_RETURNS.map((r) => `'${r}'`).join(', ')} (what load returns; leave it out for rows), got ${show(v.returns)}`);
  }
  if (v.dumpBy !== undefined && !(typeof v.dumpBy === 'string' && SAFE_NAME.test(v.dumpBy) && v.dumpBy !== v.name)) {
    problems.push(`\`dumpBy\` must be the name of another codec whose dump writes this codec's files, got ${show(v.dumpBy)}`);
  }
  if (typeof v.name === 'string' && builtInNames.includes(v.name)) {
    problems.push(`\`name\` ${JSON.stringify(v.name)} collides with a built-in codec (built-ins: ${builtInNames.join(', ')}); choose another name`);
  }
  return problems;
}

/** Which export is the codec: the default export, else a named `codec` export. */
function pickExport(mod: Record<string, unknown>): unknown {
  const d = mod.default;
  // A CommonJS `module.exports = { codec }` arrives as default = { codec }.
  if (typeof d === 'object' && d !== null && !('dump' in d) && 'codec' in d) return (d as { codec: unknown }).codec;
  return d !== undefined ? d : mod.codec;
}

/**
 * Import the codec module at `path` (resolved against `cwd`) and return its
 * codec, or throw a CodecModuleError naming the path and every missing or
 * wrong member, or a name that collides with a built-in codec.
 */
export async function loadCodecModule(path: string, cwd: string = process.cwd()): Promise<Codec> {
  if (typeof path !== 'string' || path.length === 0) throw new CodecModuleError(String(path), 'empty path');
  const abs = resolve(cwd, path); // as given: no extension guessing
  if (!MODULE_EXTENSIONS.includes(extname(abs))) {
    throw new CodecModuleError(path, `not a JavaScript module (expected ${MODULE_EXTENSIONS.join(', ')}; compile TypeScript to JavaScript first)`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // Node's message names the importing file too ("imported from …"): only a file that is not there is "no such file"
    const why = code === 'ERR_MODULE_NOT_FOUND' && !existsSync(abs) ? 'no such file' : errorText(err);
    throw new CodecModuleError(path, `cannot import ${abs}: ${why.split('\n')[0]}`);
  }
  const value = pickExport(mod);
  if (value === undefined) {
    const names = Object.keys(mod);
    throw new CodecModuleError(path, `exports neither a default export nor a named \`codec\` export (exports: ${names.length ? names.join(', ') : 'none'})`);
  }
  const problems = codecProblems(value);
  if (problems.length > 0) throw new CodecModuleError(path, `not a valid codec: ${problems.join('; ')}`);
  return value as Codec;
}

/** Load several modules, refusing two that share a name. */
export async function loadCodecModules(paths: readonly string[], cwd: string = process.cwd()): Promise<Codec[]> {
  const codecs: Codec[] = [];
  for (const p of paths) {
    const codec = await loadCodecModule(p, cwd);
    const twin = codecs.find((c) => c.name === codec.name);
    if (twin) throw new CodecModuleError(p, `codec name ${JSON.stringify(codec.name)} is already used by another --codec-module`);
    codecs.push(codec);
  }
  return codecs;
}
