/**
 * The Arrow IPC pre-check (bench/codecs/arrow-ipc-check.ts) against the inputs
 * on which apache-arrow never returned, and against its own bounds.
 *
 * The fixtures in test/fixtures/arrow/ are fuzz inputs (bench/fuzz/, 20-tuple
 * files) that made apache-arrow loop for minutes to forever, synchronously,
 * before the check walked the schema:
 * - stream-children-length.arrows: arrow-stream, seed 7, input 25 ("set 4 random
 *   bytes at 664,103,1269,1294"); byte 103 turned field u's empty `children`
 *   vector into 2,130,706,432 entries.
 * - stream-fields-length.arrows: arrow-stream, seed 7, input 61 ("set 8 random
 *   bytes at 1228,541,528,1245,212,176,58,498"); byte 58 turned the schema's 3
 *   `fields` into 4,259,843.
 * - file-footer-children-length.arrow: arrow, seed 2, input 186 ("flip bit 3 of
 *   byte 1219"): in the footer's copy of the schema, the one tableFromIPC
 *   decodes, field u's `children` became 134,217,728 entries.
 * They are loaded in the fuzz harness's child process, so a regression shows as
 * a `hang` (killed after the harness's per-load bound) instead of blocking the
 * test runner in a synchronous loop.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Field, Float64, Int32, Schema, Struct, Table, tableToIPC, type DataType } from 'apache-arrow';
import { getCodec } from '../bench/codecs/index.js';
import { checkArrowIpc, MAX_DEPTH, MAX_FIELDS } from '../bench/codecs/arrow-ipc-check.js';
import { runInputs } from '../bench/fuzz/runner.js';
import { inputPath } from '../bench/fuzz/protocol.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-arrow-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string): string => join('test', 'fixtures', 'arrow', name);

describe.each([
  {
    codec: 'arrow-stream',
    inputs: [
      ['stream-children-length.arrows', /header, fields\[2\]: children vector of 2130706432 entries does not fit in the 240-byte metadata/],
      ['stream-fields-length.arrows', /header: fields vector of 4259843 entries does not fit in the 240-byte metadata/],
    ],
  },
  {
    codec: 'arrow',
    inputs: [['file-footer-children-length.arrow', /footer, schema, fields\[2\]: children vector of 134217728 entries does not fit/]],
  },
] as const)('$codec inputs that made apache-arrow loop', ({ codec: name, inputs }) => {
  it('now end in a CodecError naming codec, file and the corrupt vector', async () => {
    const codec = getCodec(name);
    const d = join(dir, name);
    mkdirSync(d);
    for (const [i, [file]] of inputs.entries()) copyFileSync(fixture(file), inputPath(d, codec, i));
    const { results } = await runInputs({ codec: name, dir: d, count: inputs.length, expect: 'unused' });
    expect(results.map((r) => r.outcome)).toEqual(inputs.map(() => 'codec-error'));
    results.forEach((r, i) => {
      expect(r.message).toContain(`${name}: ${inputPath(d, codec, i)}: `);
      expect(r.message).toMatch(inputs[i]![1]);
    });
  });
});

/** `type` wrapped in `levels` Structs of one child each: a schema `levels` + 1 fields deep. */
function nested(levels: number, type: DataType = new Int32()): Field {
  let f = new Field('leaf', type);
  for (let i = 0; i < levels; i++) f = new Field(`s${i}`, new Struct([f]));
  return f;
}

async function writeIpc(name: string, schema: Schema, format: 'file' | 'stream'): Promise<string> {
  const p = join(dir, name);
  writeFileSync(p, tableToIPC(new Table(schema), format));
  return p;
}

describe('the check bounds the schema the decoder walks', () => {
  it('passes the files the codecs write', async () => {
    const data = generateTuples(20, 7);
    for (const [name, format] of [
      ['arrow', 'file'],
      ['arrow-stream', 'stream'],
    ] as const) {
      const codec = getCodec(name);
      const p = join(dir, `valid.${codec.extension}`);
      await codec.dump(data, p);
      await expect(checkArrowIpc(p, format)).resolves.toBeUndefined();
    }
  });

  it.each(['file', 'stream'] as const)(`accepts a schema nested ${MAX_DEPTH} levels deep, refuses one level more (%s)`, async (format) => {
    await expect(checkArrowIpc(await writeIpc(`deep-ok-${format}`, new Schema([nested(MAX_DEPTH - 1)]), format), format)).resolves.toBeUndefined();
    await expect(checkArrowIpc(await writeIpc(`deep-${format}`, new Schema([nested(MAX_DEPTH)]), format), format)).rejects.toThrow(
      `schema nested deeper than ${MAX_DEPTH} levels`,
    );
  });

  it(`accepts ${MAX_FIELDS} fields, refuses one more`, async () => {
    const fields = (n: number): Field[] => Array.from({ length: n }, (_, i) => new Field(`c${i}`, new Float64()));
    await expect(checkArrowIpc(await writeIpc('wide-ok', new Schema(fields(MAX_FIELDS)), 'stream'), 'stream')).resolves.toBeUndefined();
    await expect(checkArrowIpc(await writeIpc('wide', new Schema(fields(MAX_FIELDS + 1)), 'stream'), 'stream')).rejects.toThrow(
      `schema has more than ${MAX_FIELDS} fields`,
    );
  });
});
