/**
 * A small dataset for tests of the run layer (not a built-in: the registry knows it only where a
 * test mocks it in): nested records that no codec maps yet, so every codec is n/a on it.
 */
import type { DatasetDefinition } from '../../bench/data/dataset.js';
import { createRng, nextFloat } from '../../bench/data/rng.js';
import { t } from '../../bench/data/schema.js';

const SCHEMA = t.record('Order', {
  id: t.int32(),
  price: t.f64(),
  tags: t.list(t.string()),
});

function order(rng: () => number, i: number): { id: number; price: number; tags: string[] } {
  const price = nextFloat(rng);
  return { id: i, price, tags: price < 0.5 ? ['a'] : ['b', 'c'] };
}

export const nestedDefinition: DatasetDefinition<typeof SCHEMA> = {
  name: 'nested',
  description: 'test orders: an id, a price and a list of tags',
  schema: SCHEMA,
  defaultN: 50,
  generate(n, seed) {
    const rng = createRng(seed);
    return Array.from({ length: n }, (_, i) => order(rng, i));
  },
};
