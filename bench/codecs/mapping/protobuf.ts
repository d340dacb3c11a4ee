/**
 * protobuf's mapping (protobuf, protobuf-stream; design §5.2, §5.3, §5.7): a FileDescriptorProto
 * built from a dataset's schema, registered with @bufbuild/protobuf's runtime registry (as
 * protobuf.ts builds the tuples' one: no protoc), and the converters between a record in memory and
 * its message, so a load returns the dataset's in-memory form.
 *
 *   package footprint;  message <Record> { fields 1..k }  message <Record>s { repeated <Record> rows = 1; }
 *
 * Types (proto3): f64 double, f32 float, int32 int32, uint64 uint64 (a BigInt), bool, string,
 * bytes; enum → `enum <Name> { <Name>_0 = 0; … }`, a symbol is its index; record → message; tuple →
 * message read back into an array; list → repeated; vector → packed repeated float / double / int32
 * (read back into its typed array), a uint8 vector → bytes; map → `map<string, V>`; optional scalar
 * → proto3 `optional` (null when absent), optional message → the message field's presence; union →
 * a wrapper message with a `oneof` (`m1`…`mk`). Where protobuf has no place for a value as it is (a
 * list or map as a repeated element, map value or oneof member, an optional list, an optional as a
 * repeated element) it is the only field `v` of a wrapper message, named after where it sits
 * (`Owner_field`, `…_item`, `…_value`, `…_m2`). Names: mapping/names.ts.
 *
 * This module loads only on a binding's init (the library comes in as an argument: no import cycle
 * with the codec, and nothing for the tuples' children to load).
 */
import type { DescMessage, Message } from '@bufbuild/protobuf';
import { memberFits, showValue } from '../../data/hash.js';
import type { RecordSchema, Type } from '../../data/schema.js';
import type { Fix } from './plan.js';
import { fieldWireNames, NameScope, protobufEnumValue } from './names.js';
import { fixArray, mapArray, mapValues, namedTypes, recordFromWire, recordToWire } from './records.js';
import { typedArrayOf } from './values.js';

export interface ProtobufLib {
  pb: typeof import('@bufbuild/protobuf');
  wkt: typeof import('@bufbuild/protobuf/wkt');
  reflect: typeof import('@bufbuild/protobuf/reflect');
}

export interface ProtobufMapping {
  /** The record's message and the whole document's `<Record>s { repeated <Record> rows = 1 }`. */
  readonly row: DescMessage;
  readonly rows: DescMessage;
  /** A record in memory as its message (create()). */
  toMessage(record: unknown): Message;
  /** A decoded message as the record in memory. */
  fromMessage(message: Message): unknown;
  /** The largest size-delimited message protobuf-stream accepts: the schema's bound, or the library's 64 MiB. */
  readonly readMaxBytes: number;
  /** The descriptor as protobuf's text, for reading (tests, notes). */
  readonly proto: string;
}

const PACKAGE = 'footprint';
/** @bufbuild/protobuf's own default readMaxBytes for size-delimited streams. */
export const LIBRARY_READ_MAX_BYTES = 64 * 1024 * 1024;

interface FieldProto {
  name: string;
  number: number;
  label: number;
  type: number;
  typeName?: string;
  jsonName: string;
  proto3Optional?: boolean;
  oneofIndex?: number;
}
interface MessageProto {
  name: string;
  field: FieldProto[];
  oneofDecl: { name: string }[];
  nestedType: MessageProto[];
  options?: { mapEntry: boolean };
}

/** A field's kind as protobuf declares it, and how its value is converted each way (null: used as it is). */
interface Slot {
  type: number;
  typeName?: string;
  repeated?: boolean;
  /** Map field: the entry's value slot. */
  map?: Slot;
  /** A scalar or enum (proto3 `optional` applies), not a message. */
  scalar: boolean;
  toWire: Fix | null;
  fromWire: Fix | null;
}

/** The mapping of a schema (any valid schema: protobuf carries every type kind). */
export function protobufMapping(schema: RecordSchema, lib: ProtobufLib): ProtobufMapping {
  const { pb, wkt, reflect } = lib;
  const T = wkt.FieldDescriptorProto_Type;
  const { OPTIONAL, REPEATED } = wkt.FieldDescriptorProto_Label;
  const camel = reflect.protoCamelCase;
  const SCALAR: Partial<Record<Type['kind'], number>> = {
    f64: T.DOUBLE,
    f32: T.FLOAT,
    int32: T.INT32,
    uint64: T.UINT64,
    bool: T.BOOL,
    string: T.STRING,
    bytes: T.BYTES,
  };
  const VECTOR = { f32: T.FLOAT, f64: T.DOUBLE, int32: T.INT32 } as const;

  const messages: MessageProto[] = [];
  const enums: { name: string; value: { name: string; number: number }[] }[] = [];
  // every record, tuple and enum name of the schema keeps its own; wrappers and the document take what is left
  const scope = new NameScope(undefined, namedTypes(schema));
  const named = new Map<string, Slot>();
  const full = (name: string): string => `.${PACKAGE}.${name}`;

  /** A message of the fields `fields` (their slots made by `slotOf`); fields and their JS property names unique. */
  const message = (name: string, fields: readonly { name: string; type: Type }[], slotOf: (m: MessageProto, wire: string, t: Type) => FieldSlot) => {
    const m: MessageProto = { name, field: [], oneofDecl: [], nestedType: [] };
    messages.push(m);
    const fieldScope = new NameScope((s) => camel(s));
    const wires = fieldWireNames(
      fields.map((f) => f.name),
      fieldScope,
    );
    const slots = fields.map((f, i) => {
      const s = slotOf(m, wires[i]!, f.type);
      m.field.push({ ...s.field, name: wires[i]!, number: i + 1, jsonName: camel(wires[i]!) });
      return s.slot;
    });
    // a proto3 optional field's synthetic oneof `_<name>`, in the same scope as the fields
    for (const f of m.field) if (f.proto3Optional) f.oneofIndex = m.oneofDecl.push({ name: fieldScope.take(`_${f.name}`) }) - 1;
    return { slots, locals: m.field.map((f) => reflect.safeObjectProperty(camel(f.name))) };
  };

  interface FieldSlot {
    field: Omit<FieldProto, 'name' | 'number' | 'jsonName'>;
    slot: Slot;
  }

  /** The value of a singular field at `hint` (a wrapper's name), optional allowed. */
  const field = (owner: MessageProto, wire: string, hint: string, type: Type): FieldSlot => {
    if (type.kind === 'optional') {
      const inner = type.of;
      const s =
        inner.kind === 'list' || inner.kind === 'map' || (inner.kind === 'vector' && inner.element !== 'uint8')
          ? wrapper(hint, inner)
          : value(owner, wire, hint, inner);
      const toWire = s.toWire;
      const fromWire = s.fromWire;
      return {
        field: { label: OPTIONAL, type: s.type, typeName: s.typeName, ...(s.scalar ? { proto3Optional: true } : {}) },
        slot: {
          ...s,
          // null (or absent) is an unset field; an unset field reads back as undefined: null again
          toWire: toWire && ((v) => (v === null || v === undefined ? v : toWire(v))),
          fromWire: (v) => (v === undefined || v === null ? null : fromWire ? fromWire(v) : v),
        },
      };
    }
    const s = value(owner, wire, hint, type);
    return {
      field: { label: s.repeated || s.map ? REPEATED : OPTIONAL, type: s.type, typeName: s.typeName },
      slot: s,
    };
  };

  /** A non-optional value in a singular field: scalars, enums, messages, and lists, vectors and maps as repeated fields. */
  const value = (owner: MessageProto, wire: string, hint: string, type: Type): Slot => {
    switch (type.kind) {
      case 'list': {
        const e = element(`${hint}_item`, type.of);
        return { ...e, repeated: true, toWire: e.toWire && mapArray(e.toWire), fromWire: e.fromWire && fixArray(e.fromWire) };
      }
      case 'vector': {
        if (type.element === 'uint8') return { type: T.BYTES, scalar: true, toWire: null, fromWire: null };
        const Typed = typedArrayOf(type.element);
        // create() keeps the typed array and toBinary indexes it; fromBinary returns a plain array
        return { type: VECTOR[type.element], scalar: true, repeated: true, toWire: null, fromWire: (v) => (Array.isArray(v) ? Typed.from(v) : v) };
      }
      case 'map': {
        const v = element(`${hint}_value`, type.values);
        const entryScope = new NameScope(
          undefined,
          owner.nestedType.map((n) => n.name),
        );
        const entry: MessageProto = {
          name: entryScope.take(`${capitalize(camel(wire))}Entry`),
          field: [
            { name: 'key', number: 1, label: OPTIONAL, type: T.STRING, jsonName: 'key' },
            { name: 'value', number: 2, label: OPTIONAL, type: v.type, typeName: v.typeName, jsonName: 'value' },
          ],
          oneofDecl: [],
          nestedType: [],
          options: { mapEntry: true },
        };
        owner.nestedType.push(entry);
        return {
          type: T.MESSAGE,
          typeName: `${full(owner.name)}.${entry.name}`,
          map: v,
          scalar: false,
          toWire: v.toWire && mapValues(v.toWire, true),
          fromWire: v.fromWire && mapValues(v.fromWire, false),
        };
      }
      default:
        return element(hint, type);
    }
  };

  /** A value that is one singular scalar, enum or message: a repeated element, a map value, a oneof member. */
  const element = (hint: string, type: Type): Slot => {
    const scalar = SCALAR[type.kind];
    if (scalar !== undefined) return { type: scalar, scalar: true, toWire: null, fromWire: null };
    switch (type.kind) {
      case 'enum':
        return namedType(type.name, () => enumSlot(type.name, type.symbols));
      case 'record':
      case 'tuple':
        return namedType(type.name, () => recordSlot(type));
      case 'union':
        return unionSlot(hint, type.of);
      case 'vector':
        if (type.element === 'uint8') return { type: T.BYTES, scalar: true, toWire: null, fromWire: null };
        return wrapper(hint, type);
      default:
        return wrapper(hint, type); // list, map, optional: no place of their own here
    }
  };

  /** A message `<hint> { <type> v = 1; }` holding a value that has no place of its own where it sits. */
  const wrapper = (hint: string, type: Type): Slot => {
    const name = scope.take(hint);
    const { slots, locals } = message(name, [{ name: 'v', type }], (m, wire, t) => field(m, wire, name, t));
    const inner = slots[0]!;
    const local = locals[0]!;
    return {
      type: T.MESSAGE,
      typeName: full(name),
      scalar: false,
      toWire: (v) => ({ [local]: inner.toWire ? inner.toWire(v) : v }),
      fromWire: (m) => {
        if (typeof m !== 'object' || m === null) return m;
        const x = (m as Record<string, unknown>)[local];
        return inner.fromWire ? inner.fromWire(x) : x;
      },
    };
  };

  /** A record or enum, defined once by its name (the same name is always the same type). */
  const namedType = (name: string, make: () => Slot): Slot => {
    let s = named.get(name);
    if (!s) {
      s = make();
      named.set(name, s);
    }
    return s;
  };

  const enumSlot = (name: string, symbols: readonly string[]): Slot => {
    enums.push({ name, value: symbols.map((_, i) => ({ name: scope.take(protobufEnumValue(name, i)), number: i })) });
    const index = new Map<unknown, number>(symbols.map((s, i) => [s, i]));
    return {
      type: T.ENUM,
      typeName: full(name),
      scalar: true,
      toWire: (v) => index.get(v) ?? v,
      fromWire: (v) => (typeof v === 'number' && v >= 0 && v < symbols.length ? symbols[v] : v),
    };
  };

  const recordSlot = (type: RecordSchema): Slot => {
    const { slots, locals } = message(type.name, type.fields, (m, wire, t) => field(m, wire, `${type.name}_${wire}`, t));
    return {
      type: T.MESSAGE,
      typeName: full(type.name),
      scalar: false,
      // a record whose fields need nothing and keep their names is its own init for create()
      toWire: recordToWire(
        type,
        locals,
        slots.map((s) => s.toWire),
      ),
      fromWire: recordFromWire(
        type,
        locals,
        slots.map((s) => s.fromWire),
      ),
    };
  };

  const unionSlot = (hint: string, members: readonly Type[]): Slot => {
    const name = scope.take(hint);
    const m: MessageProto = { name, field: [], oneofDecl: [{ name: 'member' }], nestedType: [] };
    messages.push(m);
    const slots = members.map((t, i) => {
      const s = element(`${name}_m${i + 1}`, t);
      m.field.push({ name: `m${i + 1}`, number: i + 1, label: OPTIONAL, type: s.type, typeName: s.typeName, jsonName: `m${i + 1}`, oneofIndex: 0 });
      return s;
    });
    const cases = members.map((_, i) => `m${i + 1}`);
    return {
      type: T.MESSAGE,
      typeName: full(name),
      scalar: false,
      toWire: (v) => {
        const i = members.findIndex((t) => memberFits(t, v));
        if (i < 0) throw new TypeError(`${name}: ${showValue(v)} is no member of the union`);
        const f = slots[i]!.toWire;
        return { member: { case: cases[i], value: f ? f(v) : v } };
      },
      fromWire: (w) => {
        const member = (w as { member?: { case?: string; value?: unknown } } | undefined)?.member;
        if (!member) return w; // not a union message (a file of another schema): the verification names the path
        const { case: c, value: x } = member;
        const i = c === undefined ? -1 : cases.indexOf(c);
        if (i < 0) return undefined; // no member set: the verification names the path
        const f = slots[i]!.fromWire;
        return f ? f(x) : x;
      },
    };
  };

  const row = element(schema.name, schema);
  const docName = scope.take(`${schema.name}s`);
  messages.push({
    name: docName,
    field: [{ name: 'rows', number: 1, label: REPEATED, type: T.MESSAGE, typeName: full(schema.name), jsonName: 'rows' }],
    oneofDecl: [],
    nestedType: [],
  });

  const file = pb.create(wkt.FileDescriptorProtoSchema, {
    name: 'footprint.proto',
    package: PACKAGE,
    syntax: 'proto3',
    messageType: messages as never, // plain descriptor objects: create() makes them messages
    enumType: enums,
  });
  const registry = pb.createFileRegistry(file, () => undefined);
  const desc = (n: string): DescMessage => {
    const d = registry.getMessage(`${PACKAGE}.${n}`);
    if (!d) throw new Error(`protobuf mapping: message ${n} missing from the registry`);
    return d;
  };
  const rowDesc = desc(schema.name);
  checkLocalNames(registry, messages);
  const toInit = row.toWire;
  const fromMessage = row.fromWire!;
  return {
    row: rowDesc,
    rows: desc(docName),
    toMessage: (r) => pb.create(rowDesc, (toInit ? toInit(r) : r) as never),
    fromMessage: (m) => fromMessage(m),
    readMaxBytes: maxEncodedBytes(schema) ?? LIBRARY_READ_MAX_BYTES,
    proto: protoText(messages, enums, T),
  };
}

/** The converters name each field by the property protobuf-es gives it: a registry that disagrees is a mistake here, said at once. */
function checkLocalNames(registry: { getMessage(n: string): DescMessage | undefined }, messages: readonly MessageProto[]): void {
  for (const m of messages) {
    const d = registry.getMessage(`${PACKAGE}.${m.name}`);
    const locals = new Set(d?.members.map((x) => x.localName));
    if (!d || locals.size !== d.members.length) throw new Error(`protobuf mapping: message ${m.name}: two members share a property name`);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Bytes of a tag or length prefix, at most (a varint of up to 32 bits). */
const PREFIX = 5;
/** A varint's bytes at most (int32 negatives and uint64 take 10). */
const VARINT = 10;

/**
 * The largest encoded size of one record's message, or null when the schema bounds none (a string,
 * bytes, list, map or variable vector anywhere): protobuf-stream's limit on a message's size prefix
 * (a larger one means a corrupt file), derived from the schema instead of fixed (design §5.3).
 */
export function maxEncodedBytes(type: Type): number | null {
  const sum = (ts: readonly Type[]): number | null => {
    let s = 0;
    for (const t of ts) {
      const b = maxEncodedBytes(t);
      if (b === null) return null;
      s += PREFIX + b;
    }
    return s;
  };
  switch (type.kind) {
    case 'f64':
      return 8;
    case 'f32':
      return 4;
    case 'int32':
    case 'uint64':
    case 'enum':
      return VARINT;
    case 'bool':
      return 1;
    case 'optional':
      return maxEncodedBytes(type.of);
    case 'vector':
      return type.length === undefined
        ? null
        : PREFIX + type.length * (type.element === 'int32' ? VARINT : type.element === 'f64' ? 8 : type.element === 'f32' ? 4 : 1);
    case 'record':
    case 'tuple': {
      const s = sum(type.fields.map((f) => f.type));
      return s === null ? null : PREFIX + s;
    }
    case 'union': {
      let max = 0;
      for (const m of type.of) {
        const b = maxEncodedBytes(m);
        if (b === null) return null;
        max = Math.max(max, b);
      }
      return 2 * PREFIX + max;
    }
    default:
      return null; // string, bytes, list, map
  }
}

/** The descriptor as a .proto file would say it (for reading: tests and notes). */
function protoText(
  messages: readonly MessageProto[],
  enums: readonly { name: string; value: { name: string; number: number }[] }[],
  T: Record<string, unknown>,
): string {
  const typeWord = (f: FieldProto): string => (f.typeName ? f.typeName.replace(`.${PACKAGE}.`, '') : String(T[f.type] ?? f.type).toLowerCase());
  const lines = ['syntax = "proto3";', `package ${PACKAGE};`];
  for (const e of enums) lines.push(`enum ${e.name} { ${e.value.map((v) => `${v.name} = ${v.number};`).join(' ')} }`);
  const msg = (m: MessageProto): string => {
    const inner = m.nestedType.map(msg);
    const fields = m.field.map((f) => {
      const oneof = f.oneofIndex !== undefined && !f.proto3Optional ? `${m.oneofDecl[f.oneofIndex]!.name}: ` : '';
      const label = f.label === 3 ? 'repeated ' : f.proto3Optional ? 'optional ' : '';
      return `${oneof}${label}${typeWord(f)} ${f.name} = ${f.number};`;
    });
    return `message ${m.name} { ${[...inner, ...fields].join(' ')} }`;
  };
  for (const m of messages) lines.push(msg(m));
  return lines.join('\n');
}
