/**
 * The reader's own data from a sample file (design §7.2): NDJSON read with lossless-json, the
 * schema inferred from untidy records (maps, a string|object union, nulls, long strings, integers
 * above 2^53) or taken from a schema file, every refusal one line naming the file and the line, and
 * the sample as a dataset whose generated records round-trip through the schema-driven checksum,
 * verification and diff (map and union included).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineDataset } from '../bench/data/dataset.js';
import { diffRecords, holdsHighUint64 } from '../bench/data/diff.js';
import { checksumRecords } from '../bench/data/hash.js';
import { inferSchema } from '../bench/data/infer.js';
import { DataSampleError, datasetNameOf, readSample, repetitionNote, SAMPLE_LIMITS, sampleDataset, wrapSchemaLine } from '../bench/data/sample.js';
import { t } from '../bench/data/schema.js';
import { intrinsicBytes } from '../bench/data/size.js';
import { InputError, UsageError } from '../bench/errors.js';

const FIXTURE = 'test/fixtures/untidy.ndjson';
const dir = mkdtempSync(join(tmpdir(), 'sample-infer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file in the temporary folder with these lines. */
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The error a promise rejects with (it must reject). */
async function refusal(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

/** A refusal: an input error (exit 2), one line. */
function oneLine(err: Error): string {
  expect(err).toBeInstanceOf(InputError);
  expect(err.message).not.toMatch(/\n/);
  return err.message;
}

const UNTIDY_USER = t.record('UntidyUser', { id: t.int32(), name: t.string() });
const UNTIDY_ITEMS = t.record('UntidyItems', { sku: t.string(), qty: t.int32() });
const UNTIDY = t.record('Untidy', {
  id: t.uint64(),
  ts: t.string(),
  level: t.string(),
  user: t.union(t.string(), UNTIDY_USER),
  tags: t.map(t.int32()),
  counters: t.map(t.int32()),
  score: t.f64(),
  ok: t.bool(),
  items: t.list(UNTIDY_ITEMS),
  extra: t.optional(t.string()),
  gone: t.optional(t.string()),
  delta: t.f64(),
});

describe('reading a sample', () => {
  it('reads every non-blank line with lossless-json: integers above 2^53 as BigInt, unrounded', async () => {
    const s = await readSample(FIXTURE);
    expect(s.records).toHaveLength(10);
    expect(s.blankLines).toBe(1);
    expect(s.lines).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11]);
    expect(s.records[0]!.id).toBe(9007199254740993n); // JSON.parse would give 9007199254740992
    expect(s.records[1]!.id).toBe(18446744073709551615n);
    expect(s.records[2]!.id).toBe(42);
    expect(s.records[3]!.delta).toBe(-9223372036854775809n);
    expect(s.records[0]!.score).toBe(0.5);
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads CRLF line ends and a byte-order mark', async () => {
    const p = file('crlf.ndjson', '\ufeff{"a": 1}\r\n\r\n{"a": 2}\r\n');
    const s = await readSample(p);
    expect(s.records).toEqual([{ a: 1 }, { a: 2 }]);
    expect(s.lines).toEqual([1, 3]);
  });

  it('names the dataset from the file name, as [a-z][a-z0-9-]*, never a built-in', () => {
    expect(datasetNameOf('data/untidy.ndjson')).toBe('untidy');
    expect(datasetNameOf('/x/My Logs (2).jsonl')).toBe('my-logs-2');
    expect(datasetNameOf('2024_events.json')).toBe('data-2024-events');
    expect(datasetNameOf('...ndjson')).toBe('sample');
    expect(datasetNameOf('tuples.ndjson')).toBe('tuples-sample');
    for (const f of ['a.ndjson', 'ÄÖ.ndjson', '-x-.ndjson', '9.ndjson']) expect(datasetNameOf(f)).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});

describe('inference (design §7.2)', () => {
  it('makes of the untidy sample: a uint64, a string|record union, two maps (by each rule), optionals, a rounded f64', async () => {
    const s = await sampleDataset(FIXTURE);
    expect(s.schema).toEqual(UNTIDY);
    expect(s.notes).toEqual([
      'id: uint64 (integers above 2^53)',
      'user: union (string in 30%, record in 70%)',
      'tags: map (5 distinct keys, keys not identifiers)',
      'counters: map (40 distinct keys)',
      'extra: optional (absent or null in 50%)',
      'gone: optional (always null in the sample: typed as string)',
      'delta: f64 (rounded: 1 value loses digits)',
      'ts: strings up to 20 B (the longest)',
    ]);
  });

  it('prints the schema, the notes and what repetition means', async () => {
    const s = await sampleDataset(FIXTURE);
    expect(s.describe(100_000)).toEqual([
      'test/fixtures/untidy.ndjson: 10 records (1 blank line skipped), dataset untidy; inferred schema:',
      '  record Untidy { id: uint64, ts: string, level: string, user: union<string, UntidyUser>, tags: map<int32>,',
      '                  counters: map<int32>, score: f64, ok: bool, items: list<UntidyItems>, extra: string?,',
      '                  gone: string?, delta: f64 }',
      '  record UntidyUser { id: int32, name: string }',
      '  record UntidyItems { sku: string, qty: int32 }',
      '  id: uint64 (integers above 2^53) · user: union (string in 30%, record in 70%)',
      '  tags: map (5 distinct keys, keys not identifiers) · counters: map (40 distinct keys)',
      '  extra: optional (absent or null in 50%) · gone: optional (always null in the sample: typed as string)',
      '  delta: f64 (rounded: 1 value loses digits) · ts: strings up to 20 B (the longest)',
      '  records repeated to N = 100,000 (10,000 copies each): repetition makes the data more compressible and can favour',
      '  formats that deduplicate (msgpackr records, string interning): treat compressed sizes with care',
    ]);
    expect(s.definition.defaultN).toBe(100_000);
    expect(repetitionNote(3, 10)[0]).toContain('(3 or 4 copies each)');
    expect(repetitionNote(10, 4)).toEqual(['N = 4: the first 4 of the 10 sample records, no repetition']);
    expect(wrapSchemaLine('record R { a: int32 }', 10)).toEqual(['record R { a: int32 }']);
  });

  it('notes a very long string (1 MiB, written here: tracked files stay small) and the field absent from most records', async () => {
    const long = 'é'.repeat(512 * 1024); // 1 MiB of UTF-8
    const p = file('long.ndjson', `${readFileSync(FIXTURE, 'utf8')}${JSON.stringify({ id: 1, msg: long })}\n`);
    const s = await sampleDataset(p);
    expect(s.notes).toContain('msg: strings up to 1.0 MiB');
    expect(s.notes).toContain('msg: optional (absent in 91%)');
    expect(s.notes.some((n) => n.includes('(the longest)'))).toBe(false); // the long one is the longest, noted once
    expect(s.definition.generate(11, 0)[10]).toMatchObject({ msg: long, ts: null });
  });

  it('widens number kinds instead of a union, and keeps one member per JS category', () => {
    const { schema, notes } = inferSchema(
      [
        { a: 1, b: 1, c: [1, 'x'], d: { x: 1 }, e: true, f: 2 ** 31 },
        { a: 1.5, b: 9007199254740993n, c: [], d: { x: 2 }, e: 3, f: 1 },
      ],
      { name: 'R', file: 'r.ndjson' },
    );
    expect(schema).toEqual(
      t.record('R', {
        a: t.f64(),
        b: t.uint64(),
        c: t.list(t.union(t.int32(), t.string())),
        d: t.record('RD', { x: t.int32() }),
        e: t.union(t.int32(), t.bool()),
        f: t.f64(),
      }),
    );
    expect(notes).toEqual([
      'b: uint64 (integers above 2^53)',
      'c[]: union (int32 in 50%, string in 50%)',
      'e: union (int32 in 50%, bool in 50%)',
      'c[]: strings up to 1 B (the longest)',
    ]);
  });

  it('types a --uint64 path uint64 whatever the sample holds; lists always empty, objects always empty, and maps of records', () => {
    const { schema, notes } = inferSchema(
      [
        { id: 5, xs: [], o: {}, m: { 'a-b': { v: 1 } }, items: [{ id: 3 }] },
        { id: null, xs: [], o: {}, m: { 'c-d': { v: 2 } }, items: [] },
      ],
      { name: 'R', file: 'r.ndjson', uint64Paths: ['id', 'items[].id'] },
    );
    expect(schema).toEqual(
      t.record('R', {
        id: t.optional(t.uint64()),
        xs: t.list(t.string()),
        o: t.map(t.string()),
        m: t.map(t.record('RM', { v: t.int32() })),
        items: t.list(t.record('RItems', { id: t.uint64() })),
      }),
    );
    expect(notes).toContain('id: uint64 (--uint64)');
    expect(notes).toContain('xs: list (always empty: typed as list<string>)');
    expect(notes).toContain('o: map (always an empty object: typed as map<string>)');
    const odd = inferSchema([{ m: { a: 1, '7': 2 } }, { m: { b: 1 } }, { m: { c: 1 } }], { name: 'R', file: 'r.ndjson' });
    expect(odd.schema).toEqual(t.record('R', { m: t.map(t.int32()) })); // one integer-like key: no record can hold it
    expect(odd.notes).toEqual(['m: map (4 distinct keys, a key no field can have: "7")']);
  });
});

describe('refusals: one line naming the file and the line (exit 2)', () => {
  const cases: [string, string, RegExp][] = [
    ['bad-json.ndjson', '{"a": 1}\n{"a": 2}\n\n\n{"a": 3}\n{"a": 4}\n{"a": ]\n', /^.*bad-json\.ndjson: line 7: not JSON \(.+\)$/],
    ['array.ndjson', '{"a": 1}\n[1, 2]\n', /array\.ndjson: line 2: not an object but an array$/],
    ['number.ndjson', '{"a": 1}\n\n3\n', /number\.ndjson: line 3: not an object but a number$/],
    ['null.ndjson', 'null\n', /null\.ndjson: line 1: not an object but null$/],
    ['string.ndjson', '"x"\n', /string\.ndjson: line 1: not an object but a string$/],
    ['dup.ndjson', '{"a": 1, "a": 2}\n', /dup\.ndjson: line 1: not JSON \(Duplicate key 'a' .*\)$/],
    ['two-objects.ndjson', '{"a": 1} {"a": 2}\n', /two-objects\.ndjson: line 1: not JSON/],
    ['proto.ndjson', '{"a": 1}\n{"a": 1, "m": {"__proto__": 1}}\n', /proto\.ndjson: line 2: a key "__proto__"/],
    ['empty.ndjson', '\n\n', /empty\.ndjson: no records \(2 lines, all blank\)$/],
    ['intkey.ndjson', '{"a": 1}\n{"17": 1}\n', /intkey\.ndjson: the records hold the key "17": a record's field name is neither empty nor integer-like/],
    ['emptykey.ndjson', '{"": 1}\n', /emptykey\.ndjson: the records hold the key "": /],
    ['emptyobjects.ndjson', '{}\n{}\n', /emptyobjects\.ndjson: every record is an empty object: no field to measure$/],
  ];
  for (const [name, text, want] of cases) {
    it(`${name}: ${String(want).slice(0, 60)}`, async () => {
      const err = await refusal(sampleDataset(file(name, text)));
      expect(err).toBeInstanceOf(DataSampleError);
      expect(oneLine(err)).toMatch(want);
    });
  }

  it('a byte that is not UTF-8', async () => {
    const p = join(dir, 'latin1.ndjson');
    writeFileSync(p, Buffer.concat([Buffer.from('{"a": "x"}\n{"a": "'), Buffer.of(0xe9), Buffer.from('"}\n')]));
    expect(oneLine(await refusal(readSample(p)))).toMatch(/latin1\.ndjson: line 2: not UTF-8 text$/);
  });

  it('a missing file', async () => {
    expect(oneLine(await refusal(readSample(join(dir, 'nope.ndjson'))))).toMatch(/nope\.ndjson: cannot read the sample: ENOENT/);
    expect(oneLine(await refusal(readSample(dir)))).toMatch(/: cannot read the sample: EISDIR/);
  });

  it('more records or bytes than a sample may hold, naming the limit', async () => {
    expect(SAMPLE_LIMITS).toEqual({ records: 1_000_000, bytes: 512 * 1024 * 1024 });
    const p = file('three.ndjson', '{"a": 1}\n\n{"a": 2}\n{"a": 3}\n');
    expect(oneLine(await refusal(readSample(p, { records: 2, bytes: 1e6 })))).toMatch(
      /three\.ndjson: line 4: more than 2 records, the most a sample may hold$/,
    );
    expect(oneLine(await refusal(readSample(p, { records: 10, bytes: 20 })))).toMatch(/three\.ndjson: 28 B, more than the 20 B a sample may hold$/);
    expect((await readSample(p, { records: 3, bytes: 28 })).records).toHaveLength(3);
  });

  it('a --uint64 path holding a value that is not an integer in [0, 2^64), or naming nothing', async () => {
    const p = file('u.ndjson', '{"id": 1}\n{"id": 2}\n{"id": -3}\n');
    expect(oneLine(await refusal(sampleDataset(p, { uint64Paths: ['id'] })))).toMatch(
      /u\.ndjson: line 3: id is -3, not an integer in \[0, 2\^64\) \(--uint64 id\)$/,
    );
    const q = file('u2.ndjson', '{"x": {"id": 1}}\n{"x": {"id": "7"}}\n');
    expect(oneLine(await refusal(sampleDataset(q, { uint64Paths: ['x.id'] })))).toMatch(/u2\.ndjson: line 2: x\.id is a string, not an integer/);
    const r = file('u3.ndjson', '{"id": 18446744073709551616}\n');
    expect(oneLine(await refusal(sampleDataset(r, { uint64Paths: ['id'] })))).toMatch(/line 1: id is 18446744073709551616, not an integer/);
    expect(oneLine(await refusal(sampleDataset(p, { uint64Paths: ['idd'] })))).toMatch(/u\.ndjson: --uint64 idd: no number at that path/);
    // without --uint64, a negative beside an integer above 2^53 is an f64
    expect((await sampleDataset(file('u4.ndjson', '{"id": 18446744073709551616}\n{"id": 1}\n'))).schema.fields[0]!.type).toEqual(t.f64());
  });
});

describe('a schema file (--data-schema) replaces the inference', () => {
  const schemaFile = (name: string, schema: unknown): string => file(name, JSON.stringify(schema));
  const SCHEMA = t.record('Event', {
    user: t.record('EventUser', { id: t.int32(), name: t.string() }),
    big: t.uint64(),
    blob: t.bytes(),
    kind: t.enum('Kind', ['a', 'b']),
    pos: t.vector('f32', 2),
    note: t.optional(t.string()),
  });
  const good = (i: number) => ({ user: { id: i, name: `u${i}` }, big: i, blob: Buffer.from(`payload ${i}`).toString('base64'), kind: 'a', pos: [0.5, i] });

  it('reads every record into the in-memory form: uint64 a BigInt, bytes from base64, a vector its typed array, absent optionals null', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify(good(i)));
    const s = await sampleDataset(file('events.ndjson', `${lines.join('\n')}\n`), { schemaFile: schemaFile('event.json', SCHEMA) });
    expect(s.notes).toEqual([]);
    const [r] = s.definition.generate(1, 0) as Record<string, unknown>[];
    expect(r).toEqual({
      user: { id: 0, name: 'u0' },
      big: 0n,
      blob: new Uint8Array(Buffer.from('payload 0')),
      kind: 'a',
      pos: Float32Array.of(0.5, 0),
      note: null,
    });
    expect(Object.keys(r!)).toEqual(['user', 'big', 'blob', 'kind', 'pos', 'note']);
    expect((r!.blob as Uint8Array).buffer.byteLength).toBe(9); // its own buffer, not a slice of Buffer's pool
    expect(s.describe(12)[0]).toMatch(/events\.ndjson: 12 records, dataset events; schema from .*event\.json, every record fits:$/);
    const ds = defineDataset(s.definition);
    const rows = s.definition.generate(30, 1);
    expect(ds.checksum(rows)).toBe(ds.expect(30, 1).checksum);
  });

  it('refuses a record that does not fit, naming the line and the path', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify(good(i)));
    const sf = schemaFile('event2.json', SCHEMA);
    const at12 = (change: (r: Record<string, unknown>) => void): string => {
      const copy = lines.map((l) => JSON.parse(l));
      change(copy[11]);
      return file('events-bad.ndjson', `${copy.map((r) => JSON.stringify(r)).join('\n')}\n`);
    };
    const refused = async (p: string) => oneLine(await refusal(sampleDataset(p, { schemaFile: sf })));
    expect(await refused(at12((r) => ((r.user as Record<string, unknown>).id = 'x')))).toMatch(
      /events-bad\.ndjson: line 12: \.user\.id is a string, expected int32$/,
    );
    expect(await refused(at12((r) => ((r.user as Record<string, unknown>).id = 2.5)))).toMatch(/line 12: \.user\.id is 2\.5, expected int32$/);
    expect(await refused(at12((r) => delete r.big))).toMatch(/line 12: \.big is missing, expected uint64$/);
    expect(await refused(at12((r) => (r.big = -1)))).toMatch(/line 12: \.big is -1, expected uint64$/);
    expect(await refused(at12((r) => (r.blob = 'not base64!')))).toMatch(/line 12: \.blob is a string that is not base64/);
    expect(await refused(at12((r) => (r.kind = 'c')))).toMatch(/line 12: \.kind is "c", expected one of enum Kind$/);
    expect(await refused(at12((r) => (r.pos = [1, 2, 3])))).toMatch(/line 12: \.pos is an array, expected vector<f32, 2>$/);
    expect(await refused(at12((r) => (r.user = 'x')))).toMatch(/line 12: \.user is a string, expected record EventUser$/);
    expect(await refused(at12((r) => (r.extra = 1)))).toMatch(/line 12: \.extra is not a field of record Event$/);
  });

  it('refuses a schema file that is not JSON, not a valid schema, or not a record; and --uint64 beside it', async () => {
    const p = file('one.ndjson', '{"a": 1}\n');
    const refused = async (sf: string) => oneLine(await refusal(sampleDataset(p, { schemaFile: sf })));
    expect(await refused(file('s1.json', '{kind'))).toMatch(/s1\.json: not a JSON schema file: /);
    expect(await refused(schemaFile('s2.json', { kind: 'record', name: 'R', fields: [{ name: 'a', type: { kind: 'float' } }] }))).toMatch(
      /s2\.json: fields\[0\] \(a\): unknown kind "float"/,
    );
    expect(await refused(schemaFile('s3.json', t.tuple('T', [t.field('a', t.int32())])))).toMatch(/s3\.json: the top level of a sample's schema is a record/);
    const both = await refusal(sampleDataset(p, { schemaFile: 's.json', uint64Paths: ['a'] }));
    expect(both).toBeInstanceOf(UsageError);
  });
});

describe('the sample as a dataset: generate -> checksum -> verify, with maps and unions', () => {
  it('repeats record i mod k as distinct deep copies, and round-trips through checksum, verify and diff', async () => {
    const s = await sampleDataset(FIXTURE);
    const ds = defineDataset(s.definition);
    expect(ds.name).toBe('untidy');
    const n = 25;
    const rows = s.definition.generate(n, 42) as Record<string, unknown>[];
    expect(rows).toHaveLength(n);
    expect(rows[12]).toEqual(rows[2]);
    expect(rows[12]).not.toBe(rows[2]);
    expect(rows[12]!.user).not.toBe(rows[2]!.user);
    expect(rows[12]!.tags).not.toBe(rows[2]!.tags);
    expect(s.definition.generate(n, 42)[0]).not.toBe(rows[0]); // a second call: new objects again
    expect([...s.definition.records!(n, 7)]).toEqual(rows); // the seed does not matter: the sample is the data

    const want = ds.expect(n, 42);
    expect(want.checksum).toMatch(/^25:[0-9a-f]{64}$/);
    expect(want.holdsHighUint64).toBe(true); // 18446744073709551615 at record 1
    expect(ds.checksum(rows)).toBe(want.checksum);
    expect(ds.verify(structuredClone(rows), n, 42, () => want.checksum)).toEqual({ verified: true, uint64: 'exact' });

    // a map value, a map key, a union member and a uint64 that come back otherwise are named by path
    const lossy = (change: (r: Record<string, unknown>[]) => void) => {
      const got = structuredClone(rows);
      change(got);
      return ds.verify(got, n, 42, () => want.checksum);
    };
    expect(lossy((g) => ((g[13]!.tags as Record<string, number>)['ja-JP'] = 9)).error).toContain('record 13: .tags["ja-JP"] int32 2 came back as 9');
    expect(lossy((g) => delete (g[14]!.tags as Record<string, number>)['en-US']).error).toContain('record 14: .tags["en-US"] map 6 came back as absent');
    expect(lossy((g) => (g[11]!.user = { id: 1, name: 'anonymous' })).error).toContain('record 11: .user union "anonymous" came back as an object');
    expect(lossy((g) => ((g[12]!.user as Record<string, unknown>).id = 9)).error).toContain('record 12: .user.id int32 8 came back as 9');
    const u = lossy((g) => (g[1]!.id = Number(g[1]!.id)));
    expect(u.error).toContain('record 1: .id uint64 18446744073709551615 came back as 18446744073709552000 (number)');
    expect(u.uint64).toBe('lossy');
  });

  it('hashes a map in key order (unordered), a union by its member, and a misfit where no member fits', () => {
    const schema = t.record('R', { m: t.map(t.int32()), u: t.union(t.string(), t.record('RU', { id: t.uint64() })) });
    const a = { m: { b: 2, a: 1 }, u: 'x' };
    const b = { m: { a: 1, b: 2 }, u: 'x' };
    expect(checksumRecords(schema, [a])).toBe(checksumRecords(schema, [b]));
    expect(checksumRecords(schema, [a])).not.toBe(checksumRecords(schema, [{ m: { a: 1, b: 3 }, u: 'x' }]));
    expect(checksumRecords(schema, [a])).not.toBe(checksumRecords(schema, [{ m: { a: 1, c: 2 }, u: 'x' }]));
    expect(checksumRecords(schema, [{ ...a, u: { id: 1n } }])).toMatch(/^1:/);
    expect(checksumRecords(schema, [{ ...a, u: 5 }])).toMatch(/^1!/);
    expect(checksumRecords(schema, [{ ...a, m: [1] }])).toMatch(/^1!/);
    // a uint64 >= 2^63 inside a union's record member counts as high (the uint64 verdict needs it)
    expect(holdsHighUint64(schema, [{ ...a, u: { id: 2n ** 63n } }])).toBe(true);
    expect(holdsHighUint64(schema, [{ ...a, u: { id: 1n } }])).toBe(false);
    expect(diffRecords(schema, [{ ...a, m: [] }], [a]).at).toMatchObject({ path: '[0].m', kind: 'map' });
    expect(diffRecords(schema, [{ ...a, m: { a: 1, b: 2, c: 0 } }], [a]).at).toMatchObject({
      path: '[0].m["c"]',
      kind: 'map',
      expected: 'absent',
      got: '0 (number)',
    });
    expect(intrinsicBytes(schema, { m: { ab: 1 }, u: { id: 1n } })).toBe(2 + 4 + 8);
    expect(intrinsicBytes(schema, { m: {}, u: 'héé' })).toBe(5);
  });
});
