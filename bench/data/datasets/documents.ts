/**
 * The `documents` dataset: nested player saves, after rust_serialization_benchmark's
 * `minecraft_savedata` (src/datasets/minecraft_savedata/mod.rs): records, enums, optional strings
 * and records, lists of records and of strings, many booleans.
 *
 * JS adaptation: camelCase names; every integer an int32 (u8/u16 drawn in their ranges, u32 as
 * `rng() >>> 1`, i64 as an int32); the uuids (RSB: [u32; 4], four draws) as the 36-character
 * lowercase 8-4-4-4-12 strings JS holds; the (f64, f64, f64) and (f32, f32) triples as tuples
 * (`[x, y, z]`, the JSON-natural form); the game types as lowercase enum symbols. Draws follow RSB's
 * field order; an `Option` is a coin, a `Vec` of length uniform in RSB's half-open range. Strings
 * drawn from sets are fresh flat copies per record (rng.ts, freshLatin1).
 * A bare definition: imports nothing heavier than rng.ts and the type language (datasets/tuples.ts).
 */
import type { DatasetDefinition } from '../dataset.js';
import { below, coin, f32Unit, freshLatin1, int32, nextFloat, type Rng, seededRecords } from '../rng.js';
import { type Infer, t } from '../schema.js';

export const GAME_TYPES = ['survival', 'creative', 'adventure', 'spectator'] as const;
const GameType = t.enum('GameType', GAME_TYPES);
const Item = t.record('Item', { count: t.int32(), slot: t.int32(), id: t.string() });
const Abilities = t.record('Abilities', {
  walkSpeed: t.f32(),
  flySpeed: t.f32(),
  mayFly: t.bool(),
  flying: t.bool(),
  invulnerable: t.bool(),
  mayBuild: t.bool(),
  instabuild: t.bool(),
});
const Vec3d = t.tuple('Vec3d', [t.field('x', t.f64()), t.field('y', t.f64()), t.field('z', t.f64())] as const);
const Vec2f = t.tuple('Vec2f', [t.field('x', t.f32()), t.field('y', t.f32())] as const);
const Entity = t.record('Entity', {
  id: t.string(),
  pos: Vec3d,
  motion: Vec3d,
  rotation: Vec2f,
  fallDistance: t.f32(),
  fire: t.int32(),
  air: t.int32(),
  onGround: t.bool(),
  noGravity: t.bool(),
  invulnerable: t.bool(),
  portalCooldown: t.int32(),
  uuid: t.string(),
  customName: t.optional(t.string()),
  customNameVisible: t.bool(),
  silent: t.bool(),
  glowing: t.bool(),
});
const Vehicle = t.record('Vehicle', { uuid: t.string(), entity: Entity });
const RecipeBook = t.record('RecipeBook', {
  recipes: t.list(t.string()),
  toBeDisplayed: t.list(t.string()),
  isFilteringCraftable: t.bool(),
  isGuiOpen: t.bool(),
  isFurnaceFilteringCraftable: t.bool(),
  isFurnaceGuiOpen: t.bool(),
  isBlastingFurnaceFilteringCraftable: t.bool(),
  isBlastingFurnaceGuiOpen: t.bool(),
  isSmokerFilteringCraftable: t.bool(),
  isSmokerGuiOpen: t.bool(),
});
export const PLAYER_SCHEMA = t.record('Player', {
  gameType: GameType,
  previousGameType: GameType,
  score: t.int32(),
  dimension: t.string(),
  selectedItemSlot: t.int32(),
  selectedItem: Item,
  spawnDimension: t.optional(t.string()),
  spawnX: t.int32(),
  spawnY: t.int32(),
  spawnZ: t.int32(),
  spawnForced: t.optional(t.bool()),
  sleepTimer: t.int32(),
  foodExhaustionLevel: t.f32(),
  foodSaturationLevel: t.f32(),
  foodTickTimer: t.int32(),
  xpLevel: t.int32(),
  xpP: t.f32(),
  xpTotal: t.int32(),
  xpSeed: t.int32(),
  inventory: t.list(Item),
  enderItems: t.list(Item),
  abilities: Abilities,
  enteredNetherPosition: t.optional(Vec3d),
  rootVehicle: t.optional(Vehicle),
  shoulderEntityLeft: t.optional(Entity),
  shoulderEntityRight: t.optional(Entity),
  seenCredits: t.bool(),
  recipeBook: RecipeBook,
});
export type Player = Infer<typeof PLAYER_SCHEMA>;
type ItemValue = Infer<typeof Item>;
type EntityValue = Infer<typeof Entity>;

// RSB's sets, in its order
export const ITEM_IDS = ['dirt', 'stone', 'pickaxe', 'sand', 'gravel', 'shovel', 'chestplate', 'steak'] as const;
export const ENTITY_IDS = ['cow', 'sheep', 'zombie', 'skeleton', 'spider', 'creeper', 'parrot', 'bee'] as const;
export const ENTITY_NAMES = ['rainbow', 'princess', 'steve', 'johnny', 'missy', 'coward', 'fairy', 'howard'] as const;
export const RECIPES = ['pickaxe', 'torch', 'bow', 'crafting table', 'furnace', 'shears', 'arrow', 'tnt'] as const;
export const DIMENSIONS = ['overworld', 'nether', 'end'] as const;
/** RSB's `generate_vec` ranges (half-open): inventory 0..40, ender items 0..27, recipes 0..30, to be displayed 0..10. */
export const MAX_LENGTHS = { inventory: 40, enderItems: 27, recipes: 30, toBeDisplayed: 10 } as const;

const hex8 = (u: number): string => u.toString(16).padStart(8, '0');
/** RSB's uuid `[u32; 4]` as the string JS holds: 8-4-4-4-12 lowercase hex. */
function uuid(rng: Rng): string {
  const a = hex8(rng());
  const b = hex8(rng());
  const c = hex8(rng());
  const d = hex8(rng());
  return freshLatin1(`${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`);
}

function list<T>(rng: Rng, max: number, next: (rng: Rng) => T): T[] {
  const n = below(rng, max);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = next(rng);
  return out;
}

const item = (rng: Rng): ItemValue => ({ count: rng() >> 24, slot: rng() >>> 24, id: freshLatin1(ITEM_IDS[below(rng, 8)]!) });
const vec3d = (rng: Rng): [number, number, number] => [nextFloat(rng), nextFloat(rng), nextFloat(rng)];
const recipe = (rng: Rng): string => freshLatin1(RECIPES[below(rng, 8)]!);

function entity(rng: Rng): EntityValue {
  return {
    id: freshLatin1(ENTITY_IDS[below(rng, 8)]!),
    pos: vec3d(rng),
    motion: vec3d(rng),
    rotation: [f32Unit(rng), f32Unit(rng)],
    fallDistance: f32Unit(rng),
    fire: rng() >>> 16,
    air: rng() >>> 16,
    onGround: coin(rng),
    noGravity: coin(rng),
    invulnerable: coin(rng),
    portalCooldown: int32(rng),
    uuid: uuid(rng),
    customName: coin(rng) ? freshLatin1(ENTITY_NAMES[below(rng, 8)]!) : null,
    customNameVisible: coin(rng),
    silent: coin(rng),
    glowing: coin(rng),
  };
}

/** One player save; the object literal's order is RSB's draw order. */
function nextPlayer(rng: Rng): Player {
  return {
    gameType: GAME_TYPES[below(rng, 4)]!,
    previousGameType: GAME_TYPES[below(rng, 4)]!,
    score: int32(rng),
    dimension: freshLatin1(DIMENSIONS[below(rng, 3)]!),
    selectedItemSlot: rng() >>> 1,
    selectedItem: item(rng),
    spawnDimension: coin(rng) ? freshLatin1(DIMENSIONS[below(rng, 3)]!) : null,
    spawnX: int32(rng),
    spawnY: int32(rng),
    spawnZ: int32(rng),
    spawnForced: coin(rng) ? coin(rng) : null,
    sleepTimer: rng() >>> 16,
    foodExhaustionLevel: f32Unit(rng),
    foodSaturationLevel: f32Unit(rng),
    foodTickTimer: rng() >>> 1,
    xpLevel: rng() >>> 1,
    xpP: f32Unit(rng),
    xpTotal: int32(rng),
    xpSeed: int32(rng),
    inventory: list(rng, MAX_LENGTHS.inventory, item),
    enderItems: list(rng, MAX_LENGTHS.enderItems, item),
    abilities: {
      walkSpeed: f32Unit(rng),
      flySpeed: f32Unit(rng),
      mayFly: coin(rng),
      flying: coin(rng),
      invulnerable: coin(rng),
      mayBuild: coin(rng),
      instabuild: coin(rng),
    },
    enteredNetherPosition: coin(rng) ? vec3d(rng) : null,
    rootVehicle: coin(rng) ? { uuid: uuid(rng), entity: entity(rng) } : null,
    shoulderEntityLeft: coin(rng) ? entity(rng) : null,
    shoulderEntityRight: coin(rng) ? entity(rng) : null,
    seenCredits: coin(rng),
    recipeBook: {
      recipes: list(rng, MAX_LENGTHS.recipes, recipe),
      toBeDisplayed: list(rng, MAX_LENGTHS.toBeDisplayed, recipe),
      isFilteringCraftable: coin(rng),
      isGuiOpen: coin(rng),
      isFurnaceFilteringCraftable: coin(rng),
      isFurnaceGuiOpen: coin(rng),
      isBlastingFurnaceFilteringCraftable: coin(rng),
      isBlastingFurnaceGuiOpen: coin(rng),
      isSmokerFilteringCraftable: coin(rng),
      isSmokerGuiOpen: coin(rng),
    },
  };
}

export const documentsDefinition: DatasetDefinition<typeof PLAYER_SCHEMA> = {
  name: 'documents',
  description:
    "nested player saves: records, enums, optional strings and records, lists of records and strings, many booleans (rust_serialization_benchmark's minecraft_savedata)",
  schema: PLAYER_SCHEMA,
  defaultN: 33_000,
  ...seededRecords(nextPlayer),
};
