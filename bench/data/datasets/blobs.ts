/**
 * The `blobs` dataset: records with binary payloads of varying size and non-ASCII text (no RSB
 * counterpart: issue 24's binary payloads and mixed non-ASCII strings, kriszyp/msgpackr#128).
 *
 * Payloads: 1 in 64 empty, otherwise 1 B to 64 KiB spread evenly over the powers of two (rng.ts,
 * logUniformInt; mean about 6 KB). By mime: images and octet streams random bytes (incompressible),
 * text/plain ASCII words, pdf half random bytes and half words. Names and tags: one script class per
 * string: ASCII letters (a one-byte string), Latin-1 letters (one-byte, two UTF-8 bytes each), BMP
 * scripts (Greek, Cyrillic, CJK, Hiragana: a two-byte string, 2-3 UTF-8 bytes each), or those plus
 * emoji (surrogate pairs, 4 UTF-8 bytes), one script per word, words separated by spaces. No lone
 * surrogates: most formats would be lossy, and blobs measures cost, not loss (edge values test those).
 * A bare definition: imports nothing heavier than rng.ts and the type language (datasets/tuples.ts).
 */
import type { DatasetDefinition } from '../dataset.js';
import { below, coin, freshUtf16, logUniformInt, type Rng, seededRecords } from '../rng.js';
import { type Infer, t } from '../schema.js';

export const MIMES = ['application/octet-stream', 'image/png', 'image/jpeg', 'application/pdf', 'text/plain'] as const;
export const BLOB_SCHEMA = t.record('Blob', {
  id: t.int32(),
  name: t.string(),
  mime: t.enum('Mime', MIMES),
  payload: t.bytes(),
  thumbnail: t.optional(t.bytes()),
  tags: t.list(t.string()),
  created: t.f64(),
});
export type Blob = Infer<typeof BLOB_SCHEMA>;

/** Payload sizes are below 2^16, thumbnails below 2^10. */
export const PAYLOAD_LOG2 = 16;
export const THUMBNAIL_LOG2 = 10;
/** Milliseconds since the epoch: 2020-09-13 plus up to about three years. */
export const CREATED_FROM = 1.6e12;
export const CREATED_SPAN = 1e11;

/** A script: its code points, in order. */
const range = (first: number, last: number): number[] => Array.from({ length: last - first + 1 }, (_, i) => first + i);
const ASCII_LETTERS = [...range(0x61, 0x7a), ...range(0x41, 0x5a)];
const LATIN1_LETTERS = [...range(0xe0, 0xf6), ...range(0xf8, 0xff)]; // à … ÿ but ÷
const BMP = [
  range(0x3b1, 0x3c9), // Greek α … ω
  range(0x430, 0x44f), // Cyrillic а … я
  range(0x4e00, 0x4fcf), // CJK
  range(0x3041, 0x3096), // Hiragana ぁ … ゖ
];
const EMOJI = range(0x1f600, 0x1f64f); // emoticons: surrogate pairs
/** The four script classes a string is drawn in; BMP and BMP+emoji pick one script per word. */
export const SCRIPT_CLASSES: readonly (readonly number[][])[] = [[ASCII_LETTERS], [LATIN1_LETTERS], BMP, [...BMP, EMOJI]];
export const NAME_CODE_POINTS = { min: 4, max: 43 } as const;
export const TAG_CODE_POINTS = { min: 2, max: 11 } as const;
export const MAX_TAGS = 5;
/** A name's words have 1-8 code points. */
const NAME_WORD_MAX = 8;

const units = new Uint16Array(2 * NAME_CODE_POINTS.max + NAME_CODE_POINTS.max); // every code point a pair, plus the spaces
/**
 * `count` code points in one script class, words of 1 to `maxWord` code points (0: one word)
 * separated by spaces (spaces are not counted); a flat string built from UTF-16 units.
 */
function text(rng: Rng, count: number, maxWord: number): string {
  const scripts = SCRIPT_CLASSES[below(rng, SCRIPT_CLASSES.length)]!;
  let p = 0;
  let left = 0;
  let script = scripts[0]!;
  for (let i = 0; i < count; i++) {
    if (left === 0) {
      if (i > 0) units[p++] = 0x20;
      script = scripts[below(rng, scripts.length)]!;
      left = maxWord === 0 ? count : 1 + below(rng, maxWord);
    }
    left--;
    const cp = script[below(rng, script.length)]!;
    if (cp > 0xffff) {
      units[p++] = 0xd800 + ((cp - 0x10000) >> 10);
      units[p++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    } else units[p++] = cp;
  }
  return freshUtf16(units, p);
}

/** Words of text/plain payloads (and the text half of pdf ones). */
const WORDS = [
  'lorem',
  'ipsum',
  'dolor',
  'sit',
  'amet',
  'consectetur',
  'adipiscing',
  'elit',
  'sed',
  'do',
  'eiusmod',
  'tempor',
  'incididunt',
  'ut',
  'labore',
  'et',
].map((w) => Buffer.from(`${w} `, 'latin1'));

function fillRandom(b: Uint8Array, from: number, to: number, rng: Rng): void {
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const w = rng();
    b[i] = w & 255;
    b[i + 1] = (w >>> 8) & 255;
    b[i + 2] = (w >>> 16) & 255;
    b[i + 3] = w >>> 24;
  }
  if (i < to) {
    const w = rng();
    for (let k = 0; i < to; i++, k += 8) b[i] = (w >>> k) & 255;
  }
}

function fillWords(b: Uint8Array, from: number, to: number, rng: Rng): void {
  for (let i = from; i < to; ) {
    const w = WORDS[below(rng, WORDS.length)]!;
    const n = Math.min(w.length, to - i);
    b.set(n === w.length ? w : w.subarray(0, n), i);
    i += n;
  }
}

function payload(rng: Rng, mime: (typeof MIMES)[number]): Uint8Array {
  if ((rng() & 63) === 0) return new Uint8Array(0);
  const b = new Uint8Array(logUniformInt(rng, PAYLOAD_LOG2));
  if (mime === 'text/plain') fillWords(b, 0, b.length, rng);
  else if (mime === 'application/pdf') {
    const half = b.length >>> 1;
    fillRandom(b, 0, half, rng);
    fillWords(b, half, b.length, rng);
  } else fillRandom(b, 0, b.length, rng);
  return b;
}

function thumbnail(rng: Rng): Uint8Array {
  const b = new Uint8Array(logUniformInt(rng, THUMBNAIL_LOG2));
  fillRandom(b, 0, b.length, rng);
  return b;
}

/** One blob; draws in field order (the id is the record's index). */
function nextBlob(rng: Rng, index: number): Blob {
  const name = text(rng, NAME_CODE_POINTS.min + below(rng, NAME_CODE_POINTS.max - NAME_CODE_POINTS.min + 1), NAME_WORD_MAX);
  const mime = MIMES[below(rng, MIMES.length)]!;
  const data = payload(rng, mime);
  const thumb = coin(rng) ? thumbnail(rng) : null;
  const tagCount = below(rng, MAX_TAGS + 1);
  const tags = new Array<string>(tagCount);
  for (let i = 0; i < tagCount; i++) {
    const count = TAG_CODE_POINTS.min + below(rng, TAG_CODE_POINTS.max - TAG_CODE_POINTS.min + 1);
    tags[i] = text(rng, count, 0); // a tag is one word
  }
  return { id: index, name, mime, payload: data, thumbnail: thumb, tags, created: CREATED_FROM + below(rng, CREATED_SPAN) };
}

export const blobsDefinition: DatasetDefinition<typeof BLOB_SCHEMA> = {
  name: 'blobs',
  description:
    'records with binary payloads of 0-64 KiB (images and octet streams incompressible, text and pdf words) and non-ASCII names and tags: one-byte, two-byte and surrogate-pair strings',
  schema: BLOB_SCHEMA,
  defaultN: 24_000,
  ...seededRecords(nextBlob),
};
