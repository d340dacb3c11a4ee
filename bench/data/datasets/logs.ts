/**
 * The `logs` dataset: HTTP access-log objects, after rust_serialization_benchmark's `log`
 * (src/datasets/log/mod.rs): the shape of most JSON APIs and log pipelines, short strings from
 * small sets and two integers per record.
 *
 * JS adaptation: the address is the dotted-quad string a JS logger holds (RSB: four u8), the
 * integers are int32 (the size is below 1e8), hours, minutes and seconds are zero-padded as in a log
 * line. Every string is a fresh flat copy per record, as a decoder makes them (rng.ts, freshLatin1).
 * A bare definition: imports nothing heavier than rng.ts and the type language (datasets/tuples.ts).
 */
import type { DatasetDefinition } from '../dataset.js';
import { below, freshLatin1, type Rng, seededRecords } from '../rng.js';
import { type Infer, t } from '../schema.js';

export const LOG_SCHEMA = t.record('Log', {
  address: t.string(),
  identity: t.string(),
  userid: t.string(),
  date: t.string(),
  request: t.string(),
  code: t.int32(),
  size: t.int32(),
});
export type Log = Infer<typeof LOG_SCHEMA>;

// RSB's sets, in its order (the draws index them)
export const USERIDS = ['-', 'alice', 'bob', 'carmen', 'david', 'eric', 'frank', 'george', 'harry'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 25 zones, -1200 … +1200. */
const ZONES = Array.from({ length: 25 }, (_, i) => `${i < 12 ? '-' : '+'}${String(Math.abs(i - 12)).padStart(2, '0')}00`);
export const METHODS = ['GET', 'POST', 'PUT', 'UPDATE', 'DELETE'] as const;
export const ROUTES = [
  '/favicon.ico',
  '/css/index.css',
  '/css/font-awsome.min.css',
  '/img/logo-full.svg',
  '/img/splash.jpg',
  '/api/login',
  '/api/logout',
] as const;
export const PROTOCOLS = ['HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/3'] as const;
export const CODES: readonly number[] = [
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407,
  408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510,
  511,
];
export const MAX_SIZE = 100_000_000;

const pad2 = (x: number): string => (x < 10 ? `0${x}` : `${x}`);

/** One log record; draws in RSB's field order (address, userid, date, request, code, size). */
function nextLog(rng: Rng): Log {
  const address = freshLatin1(`${below(rng, 256)}.${below(rng, 256)}.${below(rng, 256)}.${below(rng, 256)}`);
  const userid = freshLatin1(USERIDS[below(rng, 9)]!);
  const day = 1 + below(rng, 28);
  const month = MONTHS[below(rng, 12)]!;
  const year = 1970 + below(rng, 52);
  const time = `${pad2(below(rng, 24))}:${pad2(below(rng, 60))}:${pad2(below(rng, 60))}`;
  const date = freshLatin1(`${day}/${month}/${year}:${time} ${ZONES[below(rng, 25)]!}`);
  const request = freshLatin1(`${METHODS[below(rng, 5)]!} ${ROUTES[below(rng, 7)]!} ${PROTOCOLS[below(rng, 4)]!}`);
  const code = CODES[below(rng, CODES.length)]!;
  const size = below(rng, MAX_SIZE);
  return { address, identity: freshLatin1('-'), userid, date, request, code, size };
}

export const logsDefinition: DatasetDefinition<typeof LOG_SCHEMA> = {
  name: 'logs',
  description:
    "HTTP access-log objects: five short strings drawn from small sets and two integers (rust_serialization_benchmark's log), the shape of most JSON APIs and log pipelines",
  schema: LOG_SCHEMA,
  defaultN: 675_000,
  ...seededRecords(nextLog),
};
