/**
 * The codec dataset tests' round trip (test/codec-datasets*.test.ts): bind a codec to a dataset as
 * the child does, dump the dataset's first N records of a seed into a folder, load them back, and
 * judge what came back with the dataset's own verify().
 */
import { join } from 'node:path';
import { isUnsupported, unsupportedText } from '../../bench/codecs/bind.js';
import { getCodec } from '../../bench/codecs/index.js';
import type { Dataset } from '../../bench/data/dataset.js';
import type { RecordSchema } from '../../bench/data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Unsupported } from '../../bench/types.js';

/** The helpers for files under `dir`, records of `seed`, `n` of them unless told. */
export function codecRoundTrip(dir: string, seed: number, n: number) {
  const bind = <S extends RecordSchema>(codec: Codec, ds: Dataset<S>): DatasetCodec | Unsupported =>
    codec.forDataset!({ name: ds.info.name, schema: ds.info.schema, fingerprint: ds.info.fingerprint });

  /** Dump the dataset's records with the codec's binding and load them back. */
  const roundTrip = async <S extends RecordSchema>(name: string, ds: Dataset<S>, count = n): Promise<{ loaded: LoadedData; file: string }> => {
    const codec = getCodec(name);
    const bound = bind(codec, ds);
    if (isUnsupported(bound)) throw new Error(`${name} cannot carry ${ds.name}: ${unsupportedText(bound)}`);
    await codec.init?.();
    await bound.init?.();
    const file = join(dir, `${name}-${ds.name}.${codec.extension}`);
    await bound.dump(ds.generate(count, seed) as unknown[], file);
    return { loaded: await bound.load(file), file };
  };

  const judge = <S extends RecordSchema>(ds: Dataset<S>, loaded: LoadedData, count = n) =>
    ds.verify(loaded, count, seed, () => ds.expectedChecksum(count, seed));

  return { bind, roundTrip, judge };
}
