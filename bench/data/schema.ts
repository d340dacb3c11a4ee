/**
 * The type language of the data model: a dataset is N records of one schema. A schema is plain
 * JSON-able objects (`{ kind: 'record', name, fields: [{ name, type }] }`), built with the helpers
 * of `t` or written by hand, so a schema can be printed, fingerprinted and written to a file.
 *
 * Scalars: f64, f32, int32, uint64 (a BigInt), bool, string, bytes (a Uint8Array), enum (one of its
 * symbol strings). Constructors: optional, list, vector (a typed array), record (an object), tuple
 * (a positional record held as a JS array: the `tuples` dataset's `[number, string, bigint]`), map
 * (an object used as a map) and union (members of distinct JS categories).
 *
 * Imports nothing: this file is the bottom of bench/data.
 */
import { createHash } from 'node:crypto';

export type VectorElement = 'f32' | 'f64' | 'int32' | 'uint8';
export interface F64 {
  readonly kind: 'f64';
}
export interface F32 {
  readonly kind: 'f32';
}
export interface Int32 {
  readonly kind: 'int32';
}
export interface Uint64 {
  readonly kind: 'uint64';
}
export interface Bool {
  readonly kind: 'bool';
}
export interface Str {
  readonly kind: 'string';
}
export interface Bytes {
  readonly kind: 'bytes';
}
export interface EnumType<S extends readonly string[] = readonly string[]> {
  readonly kind: 'enum';
  readonly name: string;
  readonly symbols: S;
}
export interface OptionalType<T extends Type = Type> {
  readonly kind: 'optional';
  readonly of: T;
}
export interface ListType<T extends Type = Type> {
  readonly kind: 'list';
  readonly of: T;
}
export interface VectorType<E extends VectorElement = VectorElement> {
  readonly kind: 'vector';
  readonly element: E;
  readonly length?: number;
}
export interface Field<N extends string = string, T extends Type = Type> {
  readonly name: N;
  readonly type: T;
}
export interface RecordType<F extends Record<string, Type> = Record<string, Type>> {
  readonly kind: 'record';
  readonly name: string;
  readonly fields: readonly Field<keyof F & string, F[keyof F]>[];
}
export interface TupleType<F extends readonly Field[] = readonly Field[]> {
  readonly kind: 'tuple';
  readonly name: string;
  readonly fields: F;
}
export interface MapType<V extends Type = Type> {
  readonly kind: 'map';
  readonly values: V;
}
export interface UnionType<M extends readonly Type[] = readonly Type[]> {
  readonly kind: 'union';
  readonly of: M;
}
export type Type =
  | F64
  | F32
  | Int32
  | Uint64
  | Bool
  | Str
  | Bytes
  | EnumType
  | OptionalType
  | ListType
  | VectorType
  | RecordType
  | TupleType
  | MapType
  | UnionType;
/** The top level of a dataset: one record. */
export type RecordSchema = RecordType | TupleType;
export type TypeKind = Type['kind'];

/** Kinds with a fixed width in the canonical byte stream: a record hashes these first (see hash.ts). */
export const SCALAR_KINDS: ReadonlySet<TypeKind> = new Set<TypeKind>(['f64', 'f32', 'int32', 'uint64', 'bool', 'enum']);
export const TYPE_KINDS: readonly TypeKind[] = [
  'f64',
  'f32',
  'int32',
  'uint64',
  'bool',
  'string',
  'bytes',
  'enum',
  'optional',
  'list',
  'vector',
  'record',
  'tuple',
  'map',
  'union',
];

type VectorOf<E> = E extends 'f32' ? Float32Array : E extends 'f64' ? Float64Array : E extends 'int32' ? Int32Array : Uint8Array;
/** The JS value a type describes: the in-memory form generators produce and rows loads return. */
export type Infer<T> = T extends F64 | F32 | Int32
  ? number
  : T extends Uint64
    ? bigint
    : T extends Bool
      ? boolean
      : T extends Str
        ? string
        : T extends Bytes
          ? Uint8Array
          : T extends EnumType<infer S>
            ? S[number]
            : T extends OptionalType<infer U>
              ? Infer<U> | null
              : T extends ListType<infer U>
                ? Infer<U>[]
                : T extends VectorType<infer E>
                  ? VectorOf<E>
                  : T extends RecordType<infer F>
                    ? { [K in keyof F]: Infer<F[K]> }
                    : T extends TupleType<infer F>
                      ? { -readonly [I in keyof F]: F[I] extends Field<string, infer U> ? Infer<U> : never }
                      : T extends MapType<infer V>
                        ? { [key: string]: Infer<V> }
                        : T extends UnionType<infer M>
                          ? Infer<M[number]>
                          : never;

/** Constructors: plain objects, exactly the JSON form. */
export const t = {
  f64: (): F64 => ({ kind: 'f64' }),
  f32: (): F32 => ({ kind: 'f32' }),
  int32: (): Int32 => ({ kind: 'int32' }),
  uint64: (): Uint64 => ({ kind: 'uint64' }),
  bool: (): Bool => ({ kind: 'bool' }),
  string: (): Str => ({ kind: 'string' }),
  bytes: (): Bytes => ({ kind: 'bytes' }),
  enum: <const S extends readonly string[]>(name: string, symbols: S): EnumType<S> => ({ kind: 'enum', name, symbols }),
  optional: <T extends Type>(of: T): OptionalType<T> => ({ kind: 'optional', of }),
  list: <T extends Type>(of: T): ListType<T> => ({ kind: 'list', of }),
  map: <V extends Type>(values: V): MapType<V> => ({ kind: 'map', values }),
  union: <const M extends readonly Type[]>(...of: M): UnionType<M> => ({ kind: 'union', of }),
  vector: <E extends VectorElement>(element: E, length?: number): VectorType<E> =>
    length === undefined ? { kind: 'vector', element } : { kind: 'vector', element, length },
  field: <N extends string, T extends Type>(name: N, type: T): Field<N, T> => ({ name, type }),
  /** The object's key order is the field order. */
  record: <F extends Record<string, Type>>(name: string, fields: F): RecordType<F> =>
    ({ kind: 'record', name, fields: Object.entries(fields).map(([n, type]) => ({ name: n, type })) }) as unknown as RecordType<F>,
  tuple: <const F extends readonly Field[]>(name: string, fields: F): TupleType<F> => ({ kind: 'tuple', name, fields }),
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/;
const VECTOR_ELEMENTS: readonly string[] = ['f32', 'f64', 'int32', 'uint8'];

/** The JS category a union member's values fall in (at most one member per category). */
function category(type: Type): string {
  switch (type.kind) {
    case 'f64':
    case 'f32':
    case 'int32':
      return 'number';
    case 'uint64':
      return 'bigint';
    case 'bool':
      return 'boolean';
    case 'string':
    case 'enum':
      return 'string';
    case 'bytes':
      return 'Uint8Array';
    case 'list':
    case 'tuple':
      return 'array';
    case 'vector':
      return 'typed array';
    default:
      return 'object';
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The problems of a schema given as an unknown value, each naming its path
 * (`fields[3] (spawnX): unknown kind 'float' (kinds: f64, …)`); empty when it is valid.
 */
export function validateSchema(x: unknown): string[] {
  const problems: string[] = [];
  const named = new Map<string, string>(); // record/tuple/enum name -> its canonical JSON (one name, one type)
  const visit = (type: unknown, path: string, insideOptional: boolean, insideUnion: boolean): void => {
    const where = path === '' ? 'schema' : path;
    if (!isObject(type)) {
      problems.push(`${where}: not a type object`);
      return;
    }
    const kind = type.kind;
    if (typeof kind !== 'string' || !(TYPE_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${where}: unknown kind ${JSON.stringify(kind)} (kinds: ${TYPE_KINDS.join(', ')})`);
      return;
    }
    const nameOnce = (): void => {
      if (typeof type.name !== 'string' || !NAME.test(type.name)) {
        problems.push(`${where}: name ${JSON.stringify(type.name)} is not [A-Za-z_][A-Za-z0-9_]*`);
        return;
      }
      const json = canonicalJson(type);
      const seen = named.get(type.name);
      if (seen !== undefined && seen !== json) problems.push(`${where}: the name ${type.name} denotes two different types`);
      named.set(type.name, json);
    };
    switch (kind as TypeKind) {
      case 'enum': {
        nameOnce();
        const symbols = type.symbols;
        if (!Array.isArray(symbols) || symbols.length === 0) problems.push(`${where}: an enum needs a non-empty list of symbols`);
        else if (symbols.some((s) => typeof s !== 'string' || s === '')) problems.push(`${where}: every enum symbol is a non-empty string`);
        else if (new Set(symbols).size !== symbols.length) problems.push(`${where}: enum symbols repeat`);
        return;
      }
      case 'optional':
        if (insideOptional) problems.push(`${where}: optional of optional`);
        if (insideUnion) problems.push(`${where}: optional inside a union (null is not a union member)`);
        visit(type.of, `${path}?`, true, false);
        return;
      case 'list':
        visit(type.of, `${path}[]`, false, false);
        return;
      case 'map':
        visit(type.values, `${path}{}`, false, false);
        return;
      case 'vector':
        if (!VECTOR_ELEMENTS.includes(type.element as string))
          problems.push(`${where}: vector element ${JSON.stringify(type.element)} (elements: ${VECTOR_ELEMENTS.join(', ')})`);
        if (type.length !== undefined && !(Number.isSafeInteger(type.length) && (type.length as number) > 0))
          problems.push(`${where}: vector length ${String(type.length)} is not a positive integer`);
        return;
      case 'union': {
        const members = type.of;
        if (!Array.isArray(members) || members.length < 2) {
          problems.push(`${where}: a union needs at least two members`);
          return;
        }
        const categories = new Set<string>();
        members.forEach((m, i) => {
          visit(m, `${path}|${i}`, false, true);
          if (isObject(m) && (TYPE_KINDS as readonly unknown[]).includes(m.kind)) {
            const c = category(m as unknown as Type);
            if (categories.has(c)) problems.push(`${where}: two members are ${c} values (one member per JS category)`);
            categories.add(c);
          }
        });
        return;
      }
      case 'record':
      case 'tuple': {
        nameOnce();
        const fields = type.fields;
        if (!Array.isArray(fields) || fields.length === 0) {
          problems.push(`${where}: a ${kind} needs a non-empty list of fields`);
          return;
        }
        const names = new Set<string>();
        fields.forEach((f, i) => {
          const fname = isObject(f) ? f.name : undefined;
          const at = `${path === '' ? '' : `${path}.`}fields[${i}]${typeof fname === 'string' ? ` (${fname})` : ''}`;
          if (!isObject(f) || typeof fname !== 'string' || fname === '') {
            problems.push(`${at}: a field needs a non-empty name`);
            return;
          }
          if (INTEGER_LIKE.test(fname)) problems.push(`${at}: an integer-like field name (JS reorders such keys)`);
          if (fname === '__proto__') problems.push(`${at}: __proto__ cannot be a field name`);
          if (names.has(fname)) problems.push(`${at}: the name repeats`);
          names.add(fname);
          visit(f.type, at, false, false);
        });
        return;
      }
      default:
        return; // a scalar: nothing more to check
    }
  };
  if (!isObject(x) || (x.kind !== 'record' && x.kind !== 'tuple')) {
    problems.push('schema: the top level is a record or a tuple (one record of the dataset)');
    return problems;
  }
  visit(x, '', false, false);
  return problems;
}

/** JSON with object keys sorted: the same schema always gives the same text. */
function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (isObject(x))
    return `{${Object.keys(x)
      .sort()
      .filter((k) => x[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(x[k])}`)
      .join(',')}}`;
  return JSON.stringify(x);
}

/** SHA-256 (hex) of the schema's canonical JSON: a dataset's schema identity across runs and processes. */
export function schemaFingerprint(s: RecordSchema): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}

/** A type as one short expression; named records and tuples by name (their own line says the rest). */
export function typeText(type: Type): string {
  switch (type.kind) {
    case 'enum':
    case 'record':
    case 'tuple':
      return type.name;
    case 'optional':
      return `${typeText(type.of)}?`;
    case 'list':
      return `list<${typeText(type.of)}>`;
    case 'map':
      return `map<${typeText(type.values)}>`;
    case 'union':
      return `union<${type.of.map(typeText).join(', ')}>`;
    case 'vector':
      return `vector<${type.element}${type.length === undefined ? '' : `, ${type.length}`}>`;
    default:
      return type.kind;
  }
}

/** The schema in a few lines, one per named type, the dataset's record first (the report's "schema"). */
export function describeSchema(s: RecordSchema, maxLines = 8): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  const visit = (type: Type): void => {
    if (type.kind === 'record' || type.kind === 'tuple') {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      const [open, close] = type.kind === 'record' ? ['{', '}'] : ['[', ']'];
      lines.push(`${type.kind} ${type.name} ${open} ${type.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(', ')} ${close}`);
      for (const f of type.fields) visit(f.type);
    } else if (type.kind === 'enum') {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      lines.push(`enum ${type.name} { ${type.symbols.join(', ')} }`);
    } else if (type.kind === 'optional' || type.kind === 'list') visit(type.of);
    else if (type.kind === 'map') visit(type.values);
    else if (type.kind === 'union') for (const m of type.of) visit(m);
  };
  visit(s);
  return lines.length > maxLines ? [...lines.slice(0, maxLines - 1), `… ${lines.length - maxLines + 1} more types`] : lines;
}

/** Every kind the schema uses (a codec says how it carries each; a mapping checks it knows them all). */
export function leafKinds(s: RecordSchema): Set<TypeKind> {
  const kinds = new Set<TypeKind>();
  const visit = (type: Type): void => {
    kinds.add(type.kind);
    if (type.kind === 'record' || type.kind === 'tuple') for (const f of type.fields) visit(f.type);
    else if (type.kind === 'optional' || type.kind === 'list') visit(type.of);
    else if (type.kind === 'map') visit(type.values);
    else if (type.kind === 'union') for (const m of type.of) visit(m);
  };
  visit(s);
  return kinds;
}
