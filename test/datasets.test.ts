/**
 * The built-in datasets logs, mesh, documents and blobs (bench/data/datasets/, design §6.2-6.5): their
 * golden checksums, determinism and prefix property, every field in its range, and the checksum,
 * verification and diff derived from each schema working on its own data, naming the path of a
 * mutated leaf. (The tuples have their own: generate.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Loaded } from '../bench/data/columns.js';
import type { Dataset } from '../bench/data/dataset.js';
import { type BLOB_SCHEMA, MAX_TAGS, MIMES, NAME_CODE_POINTS, PAYLOAD_LOG2, TAG_CODE_POINTS, THUMBNAIL_LOG2 } from '../bench/data/datasets/blobs.js';
import { DIMENSIONS, ENTITY_IDS, ENTITY_NAMES, GAME_TYPES, ITEM_IDS, MAX_LENGTHS, PLAYER_SCHEMA, RECIPES } from '../bench/data/datasets/documents.js';
import { CODES, type LOG_SCHEMA, MAX_SIZE, METHODS, PROTOCOLS, ROUTES, USERIDS } from '../bench/data/datasets/logs.js';
import type { TRIANGLE_SCHEMA } from '../bench/data/datasets/mesh.js';
import { createRng, logUniformInt } from '../bench/data/rng.js';
import { DATASET_NAMES, getDataset, getDefinition } from '../bench/data/registry.js';
import { type Infer, validateSchema } from '../bench/data/schema.js';
import { goldenPath, goldenText, plain } from '../scripts/golden.js';

type Log = Infer<typeof LOG_SCHEMA>;
type Triangle = Infer<typeof TRIANGLE_SCHEMA>;
type Player = Infer<typeof PLAYER_SCHEMA>;
type Blob = Infer<typeof BLOB_SCHEMA>;

const NAMES = ['logs', 'mesh', 'documents', 'blobs'] as const;
const GOLDEN_N = { logs: 10_000, mesh: 10_000, documents: 2_000, blobs: 500 } as const;
const SEED = 42;
const datasets = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await getDataset(n)] as const))) as Record<(typeof NAMES)[number], Dataset>;

const isF32 = (x: number): boolean => Math.fround(x) === x;
const inUnit = (x: number): boolean => x >= 0 && x < 1;
const isInt = (x: number, lo: number, hi: number): boolean => Number.isInteger(x) && x >= lo && x <= hi && !Object.is(x, -0);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const codePoints = (s: string): number => [...s].length;

/** Range checks collect what fails (one expect per test: vitest's expect is slow over thousands of values). */
function checker(): { ok(cond: boolean, what: () => string): void; bad: string[] } {
  const bad: string[] = [];
  return { bad, ok: (cond, what) => void (cond || bad.length >= 10 || bad.push(what())) };
}
const oneOf = (set: readonly unknown[], v: unknown): boolean => set.includes(v);

describe.each(NAMES)('dataset %s', (name) => {
  const ds = datasets[name];
  const n = GOLDEN_N[name];
  const golden = JSON.parse(readFileSync(new URL(`../fixtures/golden-${name}-seed42-n${n}.json`, import.meta.url), 'utf8')) as {
    dataset: string;
    seed: number;
    n: number;
    checksum: string;
    first: unknown[];
    last: unknown;
  };

  it('its golden file is what scripts/golden.ts writes, byte for byte (so a new dataset gets one by a command)', async () => {
    expect(await goldenText(name, n, golden.first.length)).toBe(readFileSync(goldenPath(name, n), 'utf8'));
  });

  it('reproduces its committed golden checksum, first and last records (generated and streamed)', () => {
    expect([golden.dataset, golden.seed, golden.n]).toEqual([name, SEED, n]);
    const data = ds.generate(n, SEED);
    expect(ds.checksum(data as Loaded)).toBe(golden.checksum);
    expect(ds.expectedChecksum(n, SEED)).toBe(golden.checksum); // through records()
    expect(data.slice(0, golden.first.length).map(plain)).toEqual(golden.first);
    expect(plain(data[n - 1])).toEqual(golden.last);
  });

  it('is a valid schema with a one-sentence description, registered by its name, loading only the PRNG and the type language', async () => {
    expect(validateSchema(ds.schema)).toEqual([]);
    expect(DATASET_NAMES).toContain(name);
    expect((await getDefinition(name)).schema).toBe(ds.schema);
    expect(ds.description).toMatch(/^[A-Za-z][^\n]{20,250}[^.]$/);
    expect(ds.description).not.toMatch(/\.\s/);
    // a measured child imports the definition before its baseline: nothing of the verifier (test/layering.test.ts)
    const source = readFileSync(new URL(`../bench/data/datasets/${name}.ts`, import.meta.url), 'utf8');
    const runtime = [...source.matchAll(/^import (?!type )[^;]* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(runtime.sort()).toEqual(['../rng.js', '../schema.js']);
  });

  it('is deterministic, differs by seed, and streams what it generates', () => {
    // compared as plain values (bytes by their hash): vitest's deep equality is slow on 300 KB of payloads
    const a = ds.generate(50, 7);
    expect(ds.generate(50, 7).map(plain)).toEqual(a.map(plain));
    expect(ds.checksum(ds.generate(50, 8) as Loaded)).not.toBe(ds.checksum(a as Loaded));
    expect([...ds.records(50, 7)].map(plain)).toEqual(a.map(plain));
  });

  it('has the prefix property: the records of n = 10 are the first 10 of n = 100', () => {
    const hundred = ds.generate(100, SEED);
    expect(ds.generate(10, SEED).map(plain)).toEqual(hundred.slice(0, 10).map(plain));
    expect(ds.expectedChecksum(10, SEED)).toBe(ds.checksum(hundred.slice(0, 10) as Loaded));
  });

  it('verifies its own data exactly, with its intrinsic size', () => {
    const data = ds.generate(40, SEED);
    expect(ds.verify(structuredClone(data) as Loaded, 40, SEED, () => ds.expectedChecksum(40, SEED))).toEqual({ verified: true });
    expect(ds.expect(40, SEED).intrinsicBytes).toBeGreaterThan(0);
  });
});

/** Mutates one leaf of generated records and checks that verify and diff name its path. */
function namesPath(ds: Dataset, n: number, mutate: (records: unknown[]) => string): void {
  const data = structuredClone(ds.generate(n, SEED));
  const path = mutate(data);
  const expected = ds.expectedChecksum(n, SEED);
  expect(ds.checksum(data as Loaded)).not.toBe(expected);
  const v = ds.verify(data as Loaded, n, SEED, () => expected);
  expect(v.verified).toBe(false);
  expect(v.error).toContain(`${path.replace(/^\[\d+\]/, '')} `);
  expect(ds.diff(data as Loaded, n, SEED).at?.path).toBe(path);
}

describe('logs', () => {
  const data = datasets.logs.generate(3_000, 3) as Log[];

  it('keeps every field in its range (RSB log, adapted)', () => {
    const date = /^([1-9]|1\d|2[0-8])\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/(\d{4}):([01]\d|2[0-3]):([0-5]\d):([0-5]\d) [-+](0\d|1[0-2])00$/;
    const c = checker();
    data.forEach((r, i) => {
      c.ok(Object.keys(r).join() === 'address,identity,userid,date,request,code,size', () => `[${i}] keys ${Object.keys(r)}`);
      const quad = r.address.split('.').map(Number);
      c.ok(quad.length === 4 && quad.every((x) => isInt(x, 0, 255)) && quad.join('.') === r.address, () => `[${i}].address ${r.address}`);
      c.ok(r.identity === '-' && oneOf(USERIDS, r.userid), () => `[${i}] identity/userid ${r.identity} ${r.userid}`);
      const m = date.exec(r.date);
      c.ok(m !== null && isInt(Number(m[3]), 1970, 2021), () => `[${i}].date ${r.date}`);
      const [method, route, protocol] = r.request.split(' ');
      c.ok(oneOf(METHODS, method) && oneOf(ROUTES, route) && oneOf(PROTOCOLS, protocol), () => `[${i}].request ${r.request}`);
      c.ok(oneOf(CODES, r.code) && isInt(r.size, 0, MAX_SIZE - 1), () => `[${i}] code/size ${r.code} ${r.size}`);
    });
    expect(c.bad).toEqual([]);
    // every zone, -1200 … +1200, and every set member occurs
    expect(new Set(data.map((r) => r.date.slice(-5))).size).toBe(25);
    expect(new Set(data.map((r) => r.code)).size).toBe(CODES.length);
    expect(new Set(data.map((r) => r.userid)).size).toBe(USERIDS.length);
  });

  it('verify and diff name a mutated field', () => {
    namesPath(datasets.logs, 20, (rs) => {
      (rs[3] as Log).request = 'GET /api/login HTTP/0.9';
      return '[3].request';
    });
    namesPath(datasets.logs, 20, (rs) => {
      (rs[7] as Log).code += 0.5;
      return '[7].code';
    });
  });
});

describe('mesh', () => {
  const data = datasets.mesh.generate(2_000, 3) as Triangle[];

  it('holds four Float32Array(3) per triangle, coordinates f32 in [0, 1)', () => {
    const c = checker();
    data.forEach((r, i) => {
      c.ok(Object.keys(r).join() === 'v0,v1,v2,normal', () => `[${i}] keys ${Object.keys(r)}`);
      for (const [k, v] of Object.entries(r)) {
        // each its own vec3 of 12 bytes, as gl-matrix's vec3.create()
        const vec3 = v instanceof Float32Array && v.length === 3 && v.buffer.byteLength === 12;
        c.ok(vec3 && v.every((x) => inUnit(x) && isF32(x)), () => `[${i}].${k} ${v}`);
      }
    });
    expect(c.bad).toEqual([]);
    expect(datasets.mesh.expect(100, SEED).intrinsicBytes).toBe(100 * 48);
  });

  it('verify and diff name a mutated vector; a plain array of the same floats is the same vector', () => {
    namesPath(datasets.mesh, 20, (rs) => {
      (rs[5] as Triangle).normal[1] = 0.5 + (rs[5] as Triangle).normal[1]! / 4;
      return '[5].normal[1]'; // the first differing element
    });
    const asArrays = datasets.mesh.generate(20, SEED).map((r) => Object.fromEntries(Object.entries(r as Triangle).map(([k, v]) => [k, Array.from(v)])));
    expect(datasets.mesh.checksum(asArrays as Loaded)).toBe(datasets.mesh.expectedChecksum(20, SEED));
  });
});

describe('documents', () => {
  const data = datasets.documents.generate(400, 3) as Player[];
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;
  const U31 = [0, 2 ** 31 - 1] as const;
  const U16 = [0, 65535] as const;
  const c = checker();
  const item = (it: Player['selectedItem'], at: string): void =>
    c.ok(isInt(it.count, -128, 127) && isInt(it.slot, 0, 255) && oneOf(ITEM_IDS, it.id), () => `${at} ${JSON.stringify(it)}`);
  const vec3d = (v: readonly number[]): boolean => v.length === 3 && v.every(inUnit);
  const entity = (e: NonNullable<Player['shoulderEntityLeft']>, at: string): void => {
    c.ok(oneOf(ENTITY_IDS, e.id) && vec3d(e.pos) && vec3d(e.motion), () => `${at} id/pos/motion`);
    c.ok(e.rotation.length === 2 && [...e.rotation, e.fallDistance].every((x) => inUnit(x) && isF32(x)), () => `${at} rotation/fallDistance`);
    c.ok(isInt(e.fire, ...U16) && isInt(e.air, ...U16) && isInt(e.portalCooldown, ...INT32), () => `${at} fire/air/portalCooldown`);
    c.ok(uuid.test(e.uuid) && (e.customName === null || oneOf(ENTITY_NAMES, e.customName)), () => `${at} uuid/customName ${e.uuid} ${e.customName}`);
    const bools = [e.onGround, e.noGravity, e.invulnerable, e.customNameVisible, e.silent, e.glowing];
    c.ok(
      bools.every((b) => typeof b === 'boolean'),
      () => `${at} booleans`,
    );
  };

  it('keeps every field in its range (RSB minecraft_savedata, adapted)', () => {
    const keys = PLAYER_SCHEMA.fields.map((f) => f.name).join();
    data.forEach((p, i) => {
      const at = `[${i}]`;
      c.ok(Object.keys(p).join() === keys, () => `${at} keys`);
      c.ok(oneOf(GAME_TYPES, p.gameType) && oneOf(GAME_TYPES, p.previousGameType), () => `${at} game types`);
      c.ok(oneOf(DIMENSIONS, p.dimension) && (p.spawnDimension === null || oneOf(DIMENSIONS, p.spawnDimension)), () => `${at} dimensions`);
      c.ok(
        [p.score, p.spawnX, p.spawnY, p.spawnZ, p.xpTotal, p.xpSeed].every((x) => isInt(x, ...INT32)),
        () => `${at} int32s`,
      );
      c.ok([p.selectedItemSlot, p.foodTickTimer, p.xpLevel].every((x) => isInt(x, ...U31)) && isInt(p.sleepTimer, ...U16), () => `${at} u32s/u16`);
      const f32s = [p.foodExhaustionLevel, p.foodSaturationLevel, p.xpP, p.abilities.walkSpeed, p.abilities.flySpeed];
      c.ok(
        f32s.every((x) => inUnit(x) && isF32(x)),
        () => `${at} f32s`,
      );
      c.ok(p.spawnForced === null || typeof p.spawnForced === 'boolean', () => `${at}.spawnForced`);
      item(p.selectedItem, `${at}.selectedItem`);
      c.ok(p.inventory.length < MAX_LENGTHS.inventory && p.enderItems.length < MAX_LENGTHS.enderItems, () => `${at} list lengths`);
      for (const [j, it] of p.inventory.entries()) item(it, `${at}.inventory[${j}]`);
      for (const [j, it] of p.enderItems.entries()) item(it, `${at}.enderItems[${j}]`);
      c.ok(p.enteredNetherPosition === null || vec3d(p.enteredNetherPosition), () => `${at}.enteredNetherPosition`);
      if (p.rootVehicle !== null) {
        c.ok(uuid.test(p.rootVehicle.uuid), () => `${at}.rootVehicle.uuid ${p.rootVehicle?.uuid}`);
        entity(p.rootVehicle.entity, `${at}.rootVehicle.entity`);
      }
      if (p.shoulderEntityLeft !== null) entity(p.shoulderEntityLeft, `${at}.shoulderEntityLeft`);
      if (p.shoulderEntityRight !== null) entity(p.shoulderEntityRight, `${at}.shoulderEntityRight`);
      const book = p.recipeBook;
      c.ok(book.recipes.length < MAX_LENGTHS.recipes && book.toBeDisplayed.length < MAX_LENGTHS.toBeDisplayed, () => `${at}.recipeBook lengths`);
      c.ok(
        [...book.recipes, ...book.toBeDisplayed].every((r) => oneOf(RECIPES, r)),
        () => `${at}.recipeBook recipes`,
      );
    });
    expect(c.bad).toEqual([]);
    // every optional is both present and absent somewhere, every list both empty and long
    for (const key of ['spawnDimension', 'spawnForced', 'enteredNetherPosition', 'rootVehicle', 'shoulderEntityLeft', 'shoulderEntityRight'] as const) {
      expect(data.some((p) => p[key] === null) && data.some((p) => p[key] !== null), key).toBe(true);
    }
    expect(data.some((p) => p.inventory.length === 0) && data.some((p) => p.inventory.length === MAX_LENGTHS.inventory - 1)).toBe(true);
    expect(new Set(data.map((p) => p.gameType)).size).toBe(GAME_TYPES.length);
  });

  it('verify and diff name a mutated leaf deep in a list, a tuple and an optional record', () => {
    const fresh = datasets.documents.generate(30, SEED) as Player[];
    const i = fresh.findIndex((p) => p.inventory.length >= 2);
    namesPath(datasets.documents, 30, (rs) => {
      (rs[i] as Player).inventory[1]!.count += 1;
      return `[${i}].inventory[1].count`;
    });
    const j = fresh.findIndex((p) => p.rootVehicle !== null);
    namesPath(datasets.documents, 30, (rs) => {
      (rs[j] as Player).rootVehicle!.entity.pos[1] = 2;
      return `[${j}].rootVehicle.entity.pos[1]`;
    });
    const k = fresh.findIndex((p) => p.spawnDimension === null);
    namesPath(datasets.documents, 30, (rs) => {
      (rs[k] as Player).spawnDimension = 'end';
      return `[${k}].spawnDimension`;
    });
  });
});

describe('blobs', () => {
  const data = datasets.blobs.generate(600, 3) as Blob[];
  const all = data.flatMap((b) => [b.name, ...b.tags]);

  it('keeps every field in its range: payloads of 0-64 KiB, thumbnails, names and tags in four script classes', () => {
    data.forEach((b, i) => {
      expect(Object.keys(b)).toEqual(['id', 'name', 'mime', 'payload', 'thumbnail', 'tags', 'created']);
      expect(b.id).toBe(i);
      expect(MIMES).toContain(b.mime);
      expect(b.payload).toBeInstanceOf(Uint8Array);
      expect(b.payload.length).toBeLessThan(2 ** PAYLOAD_LOG2);
      if (b.mime === 'text/plain') expect(Buffer.from(b.payload).toString('latin1')).toMatch(/^[a-z ]*$/);
      if (b.thumbnail !== null) expect(b.thumbnail.length >= 1 && b.thumbnail.length < 2 ** THUMBNAIL_LOG2).toBe(true);
      expect(isInt(codePoints(b.name.replaceAll(' ', '')), NAME_CODE_POINTS.min, NAME_CODE_POINTS.max)).toBe(true);
      expect(b.tags.length).toBeLessThanOrEqual(MAX_TAGS);
      for (const tag of b.tags) expect(isInt(codePoints(tag), TAG_CODE_POINTS.min, TAG_CODE_POINTS.max) && !tag.includes(' ')).toBe(true);
      expect(Number.isInteger(b.created) && b.created >= 1.6e12 && b.created < 1.7e12).toBe(true);
    });
    expect(data.some((b) => b.payload.length === 0) && data.some((b) => b.payload.length > 30_000)).toBe(true);
    expect(data.some((b) => b.thumbnail === null) && data.some((b) => b.thumbnail !== null)).toBe(true);
    expect(data.some((b) => b.tags.length === 0) && data.some((b) => b.tags.length === MAX_TAGS)).toBe(true);
    // random payloads do not compress: about as many distinct bytes as a uniform draw gives
    const random = data.find((b) => b.mime === 'image/png' && b.payload.length > 4096)!.payload;
    expect(new Set(random).size).toBe(256);
  });

  it('holds one-byte, two-byte and surrogate-pair strings, never a lone surrogate', () => {
    expect(all.some((s) => /^[a-zA-Z ]+$/.test(s))).toBe(true); // ASCII
    expect(all.some((s) => /^[\u00e0-\u00ff ]+$/.test(s))).toBe(true); // Latin-1: one-byte, two UTF-8 bytes each
    expect(all.some((s) => /[\u4e00-\u4fcf]/.test(s))).toBe(true); // CJK
    expect(all.some((s) => /[\u3041-\u3096]/.test(s) && /[\u03b1-\u03c9\u0430-\u044f]/.test(s))).toBe(true); // Hiragana with Greek or Cyrillic
    expect(all.some((s) => /\ud83d[\ude00-\ude4f]/.test(s))).toBe(true); // emoji U+1F600-1F64F as surrogate pairs
    expect(all.filter((s) => LONE_SURROGATE.test(s))).toEqual([]);
    expect(all.some((s) => s.includes('\u00f7'))).toBe(false); // ÷ is no letter
  });

  it('counts UTF-8 bytes and payloads in its intrinsic size', () => {
    const few = datasets.blobs.generate(20, SEED) as Blob[];
    const bytes = few.reduce(
      (sum, b) =>
        sum + 4 + Buffer.byteLength(b.name) + 1 + b.payload.length + (b.thumbnail?.length ?? 0) + b.tags.reduce((s, t) => s + Buffer.byteLength(t), 0) + 8,
      0,
    );
    expect(datasets.blobs.expect(20, SEED).intrinsicBytes).toBe(bytes);
  });

  it('verify and diff name a flipped payload byte and a tag that lost half a surrogate pair', () => {
    const fresh = datasets.blobs.generate(40, SEED) as Blob[];
    const i = fresh.findIndex((b) => b.payload.length > 0);
    namesPath(datasets.blobs, 40, (rs) => {
      const p = (rs[i] as Blob).payload;
      p[p.length - 1] = p[p.length - 1]! ^ 1;
      return `[${i}].payload[${p.length - 1}]`; // the first differing byte
    });
    const j = fresh.findIndex((b) => b.tags.some((t) => /[\ud800-\udbff]/.test(t)));
    const k = fresh[j]!.tags.findIndex((t) => /[\ud800-\udbff]/.test(t));
    namesPath(datasets.blobs, 40, (rs) => {
      const tags = (rs[j] as Blob).tags;
      tags[k] = tags[k]!.replace(/[\udc00-\udfff]/, '');
      return `[${j}].tags[${k}]`;
    });
  });
});

describe('logUniformInt', () => {
  it('spreads sizes evenly over the powers of two, within [1, 2^maxLog2)', () => {
    const rng = createRng(5);
    const octaves = new Array<number>(16).fill(0);
    let outside = 0;
    for (let i = 0; i < 16_000; i++) {
      const x = logUniformInt(rng, 16);
      if (!isInt(x, 1, 2 ** 16 - 1)) outside++;
      else octaves[Math.floor(Math.log2(x))]!++;
    }
    expect(outside).toBe(0);
    for (const c of octaves) expect(c).toBeGreaterThan(800); // 1,000 expected in each
  });
});
