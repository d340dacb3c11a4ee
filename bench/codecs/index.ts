/**
 * The registry: every built-in format, by name. To add a format, write
 * `bench/codecs/<name>.ts` exporting a `Codec` and add it to this list.
 */
import type { Codec } from '../types.js';
import { json } from './json.js';
import { msgpack } from './msgpack.js';
import { text } from './text.js';
import { v8 } from './v8.js';
import { columnar } from './columnar.js';
import { jsonStream } from './json-stream.js';
import { msgpackStream } from './msgpack-stream.js';
import { ndjson } from './ndjson.js';
import { textStream } from './text-stream.js';
import { textToColumnar } from './text-to-columnar.js';
import { v8Stream } from './v8-stream.js';
import { protobuf } from './protobuf.js';
import { protobufStream } from './protobuf-stream.js';
import { avroCodec } from './avro.js';
import { avroStream } from './avro-stream.js';
import { cbor } from './cbor.js';
import { cborStream } from './cbor-stream.js';
import { bson } from './bson.js';
import { bsonStream } from './bson-stream.js';
import { arrow } from './arrow.js';
import { arrowRows } from './arrow-rows.js';
import { arrowStream } from './arrow-stream.js';
import { msgpackJs } from './msgpack-js.js';

export const CODECS: readonly Codec[] = [
  json,
  v8,
  msgpack,
  text,
  msgpackStream,
  textStream,
  ndjson,
  jsonStream,
  v8Stream,
  columnar,
  textToColumnar,
  protobuf,
  protobufStream,
  avroCodec,
  avroStream,
  cbor,
  cborStream,
  bson,
  bsonStream,
  arrow,
  arrowRows,
  arrowStream,
  msgpackJs,
];

/** Every built-in codec's name, in registry order. */
export const CODEC_NAMES: readonly string[] = CODECS.map((c) => c.name);

/** What `npm run bench` runs: every built-in codec (README, "The formats"). */
export const DEFAULT_CODECS: readonly string[] = CODEC_NAMES;

/** The one message for a name that is no codec: the valid names, and the groups where `--codecs` takes them. */
export function unknownCodecError(name: string, valid: readonly string[], opts: { groups?: boolean } = {}): Error {
  return new Error(`unknown codec '${name}'; valid codecs: ${valid.join(', ')}${opts.groups ? `; groups: ${Object.keys(CODEC_GROUPS).join(', ')}` : ''}`);
}

/**
 * Names `--codecs` accepts for several codecs at once. `stream` and `all`
 * also take in the codecs of `--codec-module` (by their kind).
 */
export const CODEC_GROUPS = {
  /** The original experiment's formats. */
  mission: ['json', 'v8', 'msgpack', 'text'],
  /** Every codec that goes record by record (kind 'stream'). */
  stream: CODECS.filter((c) => c.kind === 'stream').map((c) => c.name),
  /** The typed-array floor any format is held against. */
  floor: ['columnar', 'text-to-columnar'],
  /** Formats whose records are described by a schema rather than self-describing. */
  schema: ['protobuf', 'protobuf-stream', 'avro', 'avro-stream', 'arrow', 'arrow-rows', 'arrow-stream'],
  all: CODEC_NAMES,
} as const satisfies Record<string, readonly string[]>;

export type CodecGroup = keyof typeof CODEC_GROUPS;

/** One line per group for --help: `mission: json, v8, msgpack, text`. */
export function describeCodecGroups(): string[] {
  return Object.entries(CODEC_GROUPS).map(([g, names]) => `${g}: ${g === 'all' ? 'every built-in codec' : names.join(', ')}`);
}

/**
 * Expand a `--codecs` list: group names become their codecs, in registry
 * order, duplicates dropped (first mention wins). `external` are the codecs
 * of --codec-module. Unknown names throw, listing codecs and groups.
 */
export function expandCodecList(list: readonly string[], external: readonly Codec[] = []): string[] {
  const extNames = external.map((c) => c.name);
  const out: string[] = [];
  for (const item of list) {
    if (Object.hasOwn(CODEC_GROUPS, item)) {
      out.push(...CODEC_GROUPS[item as CodecGroup]);
      if (item === 'all') out.push(...extNames);
      if (item === 'stream') out.push(...external.filter((c) => c.kind === 'stream').map((c) => c.name));
    } else if (CODEC_NAMES.includes(item) || extNames.includes(item)) {
      out.push(item);
    } else {
      throw unknownCodecError(item, [...CODEC_NAMES, ...extNames], { groups: true });
    }
  }
  return [...new Set(out)];
}

/** The codec called `name`, or an error listing the valid names. */
export function getCodec(name: string): Codec {
  const codec = CODECS.find((c) => c.name === name);
  if (!codec) throw unknownCodecError(name, CODEC_NAMES);
  return codec;
}
