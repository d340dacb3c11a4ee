/**
 * Wire names for the schema-driven formats (protobuf, avro; design §5.2): both accept only names
 * of `[A-Za-z_][A-Za-z0-9_]*` for fields, types and enum symbols, while a dataset's field names and
 * enum symbols may be any string (`user-id`, `image/png`). A name that is valid is kept; any other
 * becomes one (each character outside the set → `_`, a `_` in front of a leading digit), and a
 * clash within one scope takes `_2`, `_3`… Deterministic: the same schema always gets the same
 * names, so a file written by one run reads in another. Pure functions, no imports.
 */

const WIRE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isWireName(name: string): boolean {
  return WIRE_NAME.test(name);
}

/** The name made valid: every character outside `[A-Za-z0-9_]` → `_`, and `_` in front when it does not start with a letter or `_`. */
export function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/**
 * Names that must differ within one scope (a message's fields, a package's types). `key` says when
 * two names clash (protobuf: their JavaScript property names, protoCamelCase `a_b` = `aB`).
 */
export class NameScope {
  private readonly used = new Set<string>();

  constructor(
    private readonly key: (name: string) => string = (s) => s,
    reserved: Iterable<string> = [],
  ) {
    for (const r of reserved) this.used.add(key(r));
  }

  has(name: string): boolean {
    return this.used.has(this.key(name));
  }

  /** `wanted` if it is free, else the first free of `wanted_2`, `wanted_3`…; taken from then on. */
  take(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.has(name); i++) name = `${wanted}_${i}`;
    this.used.add(this.key(name));
    return name;
  }
}

/**
 * The wire names of a record's fields, in order: the valid names first claim themselves (so a
 * sanitised name never takes a valid field's own name), then the others are sanitised.
 */
export function fieldWireNames(names: readonly string[], scope: NameScope = new NameScope()): string[] {
  const out: (string | undefined)[] = names.map((n) => (isWireName(n) && !scope.has(n) ? scope.take(n) : undefined));
  return out.map((n, i) => n ?? scope.take(sanitize(names[i]!)));
}

/** Avro enum symbols: the dataset's own when every one is a valid name, else `S0`…`Sk` by position (mapped back by position). */
export function avroSymbols(symbols: readonly string[]): readonly string[] {
  return symbols.every(isWireName) ? symbols : symbols.map((_, i) => `S${i}`);
}

/** A protobuf enum value's name: `<ENUM>_<i>` = i (symbols are mapped by number, so any symbol string works). */
export function protobufEnumValue(enumName: string, i: number): string {
  return `${enumName}_${i}`;
}
