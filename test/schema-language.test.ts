/** The data model's type language (bench/data/schema.ts): validation names the path, the fingerprint is stable, Infer gives the JS form. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { TUPLE_SCHEMA } from '../bench/data/datasets/tuples.js';
import { describeSchema, type Infer, leafKinds, schemaFingerprint, t, validateSchema } from '../bench/data/schema.js';
import type { Tuple } from '../bench/types.js';

const ORDER = t.record('Order', {
  id: t.uint64(),
  status: t.enum('Status', ['open', 'paid'] as const),
  items: t.list(t.record('Line', { sku: t.string(), qty: t.int32() })),
  note: t.optional(t.string()),
  pos: t.vector('f32', 3),
  tags: t.map(t.bool()),
  either: t.union(t.string(), t.f64()),
});

describe('schema language', () => {
  it('accepts the tuples schema and a schema using every constructor', () => {
    expect(validateSchema(TUPLE_SCHEMA)).toEqual([]);
    expect(validateSchema(ORDER)).toEqual([]);
    expect(validateSchema(JSON.parse(JSON.stringify(ORDER)))).toEqual([]);
  });

  it('names the path of each problem', () => {
    const bad = {
      kind: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: { kind: 'f64' } },
        { name: 'b', type: { kind: 'float' } },
      ],
    };
    expect(validateSchema(bad)).toEqual([
      `fields[1] (b): unknown kind "float" (kinds: f64, f32, int32, uint64, bool, string, bytes, enum, optional, list, vector, record, tuple, map, union)`,
    ]);
    expect(validateSchema(t.record('R', { a: t.f64(), '0': t.f64() }))[0]).toMatch(/fields\[0\] \(0\): an integer-like field name/);
    expect(validateSchema(t.record('R', { a: t.optional(t.optional(t.f64())) }))).toEqual(['fields[0] (a)?: optional of optional']);
    expect(validateSchema(t.record('R', { u: t.union(t.f64(), t.int32()) }))).toEqual([
      'fields[0] (u): two members are number values (one member per JS category)',
    ]);
    expect(validateSchema(t.record('R', { e: t.enum('E', ['a', 'a']) }))).toEqual(['fields[0] (e): enum symbols repeat']);
    expect(validateSchema(t.record('R', { a: t.record('X', { p: t.f64() }), b: t.record('X', { q: t.f64() }) }))).toEqual([
      'fields[1] (b): the name X denotes two different types',
    ]);
    expect(validateSchema(t.list(t.f64()))).toEqual(['schema: the top level is a record or a tuple (one record of the dataset)']);
  });

  it('fingerprints the schema, not its key order', () => {
    const reordered = JSON.parse(JSON.stringify(TUPLE_SCHEMA, ['name', 'fields', 'type', 'kind']));
    expect(schemaFingerprint(reordered)).toBe(schemaFingerprint(TUPLE_SCHEMA));
    expect(schemaFingerprint(TUPLE_SCHEMA)).toMatch(/^[0-9a-f]{64}$/);
    expect(schemaFingerprint(ORDER)).not.toBe(schemaFingerprint(TUPLE_SCHEMA));
  });

  it('describes a schema in lines and lists its kinds', () => {
    expect(describeSchema(TUPLE_SCHEMA)).toEqual(['tuple Tuple [ f: f64, s: string, u: uint64 ]']);
    expect(describeSchema(ORDER)).toEqual([
      'record Order { id: uint64, status: Status, items: list<Line>, note: string?, pos: vector<f32, 3>, tags: map<bool>, either: union<string, f64> }',
      'enum Status { open, paid }',
      'record Line { sku: string, qty: int32 }',
    ]);
    expect([...leafKinds(TUPLE_SCHEMA)].sort()).toEqual(['f64', 'string', 'tuple', 'uint64']);
  });

  it('infers the JS form: the tuples schema is the Tuple type', () => {
    expectTypeOf<Infer<typeof TUPLE_SCHEMA>>().toEqualTypeOf<Tuple>();
    type Order = Infer<typeof ORDER>;
    expectTypeOf<Order['status']>().toEqualTypeOf<'open' | 'paid'>();
    expectTypeOf<Order['items']>().toEqualTypeOf<{ sku: string; qty: number }[]>();
    expectTypeOf<Order['note']>().toEqualTypeOf<string | null>();
    expectTypeOf<Order['pos']>().toEqualTypeOf<Float32Array>();
  });
});
