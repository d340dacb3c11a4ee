/**
 * The `mesh` dataset: numeric bulk, after rust_serialization_benchmark's `mesh`
 * (src/datasets/mesh/mod.rs): triangles of three vertices and a normal, each coordinate an f32
 * uniform in [0, 1).
 *
 * JS adaptation: each vec3 is a `Float32Array(3)`, as gl-matrix (`vec3.create()`) and three.js's
 * math hold them: four small typed arrays per triangle cost about 19 times their 48 bytes of floats
 * in V8's heap, which is what a reader of a gl-matrix codebase holds. Formats that keep typed arrays
 * (v8, msgpackr, cbor-x, Arrow, columnar) can carry them as they are; the others as arrays of numbers.
 * A bare definition: imports nothing heavier than rng.ts and the type language (datasets/tuples.ts).
 */
import type { DatasetDefinition } from '../dataset.js';
import { f32Unit, type Rng, seededRecords } from '../rng.js';
import { type Infer, t } from '../schema.js';

const VEC3 = t.vector('f32', 3);
export const TRIANGLE_SCHEMA = t.record('Triangle', { v0: VEC3, v1: VEC3, v2: VEC3, normal: VEC3 });
export type Triangle = Infer<typeof TRIANGLE_SCHEMA>;

function vec3(rng: Rng): Float32Array {
  const v = new Float32Array(3);
  v[0] = f32Unit(rng);
  v[1] = f32Unit(rng);
  v[2] = f32Unit(rng);
  return v;
}

/** One triangle: 12 draws, v0.x … normal.z. */
function nextTriangle(rng: Rng): Triangle {
  const v0 = vec3(rng);
  const v1 = vec3(rng);
  const v2 = vec3(rng);
  return { v0, v1, v2, normal: vec3(rng) };
}

export const meshDefinition: DatasetDefinition<typeof TRIANGLE_SCHEMA> = {
  name: 'mesh',
  description: "triangles of four gl-matrix-style vec3 (Float32Array(3)) with coordinates in [0, 1): numeric bulk, as in rust_serialization_benchmark's mesh",
  schema: TRIANGLE_SCHEMA,
  defaultN: 175_000,
  ...seededRecords(nextTriangle),
};
