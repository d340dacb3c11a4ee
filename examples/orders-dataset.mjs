/**
 * Example dataset module: e-commerce orders, records with named fields, a list of nested records,
 * an enum and an optional note. Plain JavaScript, so it runs without a build:
 *
 *   npm run bench -- --dataset-module examples/orders-dataset.mjs
 *
 * A dataset module exports `schema` (the type language of serialization-footprint/data) and a seeded
 * `generate(n, seed)` returning n records; record i must depend only on the seed and i (not on n),
 * and every value must fit the schema (uint64 as BigInt, bytes as Uint8Array, optional as null).
 * `name`, `description`, `defaultN` and a streaming `records(n, seed)` generator are optional.
 */
import { below, chance, createRng, nextFloat, nextUint64, pick, t } from 'serialization-footprint/data';

export const name = 'orders';
export const description = 'e-commerce orders: a customer, a status, two to six order lines, sometimes a note';
export const defaultN = 200_000;

export const schema = t.record('Order', {
  id: t.uint64(),
  customer: t.string(),
  total: t.f64(),
  status: t.enum('Status', ['open', 'paid', 'shipped', 'cancelled']),
  items: t.list(t.record('Line', { sku: t.string(), qty: t.int32(), price: t.f64() })),
  note: t.optional(t.string()),
});

const CUSTOMERS = ['ada', 'grace', 'edsger', 'barbara', 'ken', 'dennis', 'margaret', 'linus', 'guido', 'brendan'];
const NOTES = ['leave at the door', 'gift wrap, please', 'call before delivery', 'fragile'];

/** Order i, drawn from the generator in order (so the first k orders never depend on n). */
function order(rng) {
  const id = nextUint64(rng);
  const customer = `${pick(rng, CUSTOMERS)}-${below(rng, 100_000)}`;
  const status = pick(rng, ['open', 'paid', 'shipped', 'cancelled']);
  const items = new Array(2 + below(rng, 5));
  let total = 0;
  for (let j = 0; j < items.length; j++) {
    const qty = 1 + below(rng, 9);
    const price = Math.round(nextFloat(rng) * 20_000) / 100;
    items[j] = { sku: `SKU-${below(rng, 50_000).toString().padStart(5, '0')}`, qty, price };
    total += qty * price;
  }
  const note = chance(rng, 0.2) ? pick(rng, NOTES) : null;
  return { id, customer, total: Math.round(total * 100) / 100, status, items, note };
}

export function generate(n, seed) {
  const rng = createRng(seed);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = order(rng);
  return out;
}

export function* records(n, seed) {
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) yield order(rng);
}
