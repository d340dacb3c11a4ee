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
  arrowStream,
  msgpackJs,
];

/** What `npm run bench` runs: every registered codec. */
export const DEFAULT_CODECS: readonly string[] = CODECS.map((c) => c.name);

export function codecNames(): string[] {
  return CODECS.map((c) => c.name);
}

/** The codec called `name`, or an error listing the valid names. */
export function getCodec(name: string): Codec {
  const codec = CODECS.find((c) => c.name === name);
  if (!codec) throw new Error(`unknown codec '${name}'; valid codecs: ${codecNames().join(', ')}`);
  return codec;
}
