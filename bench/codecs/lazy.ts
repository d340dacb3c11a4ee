/**
 * A value made once, on first use, by an async function: how the codecs with
 * large libraries (apache-arrow, @bufbuild/protobuf, bson, avsc, cbor-x,
 * @msgpack/msgpack) import them. Measured at start-up of a bare process, the
 * six together cost about 50 MiB of RSS, 9 MiB of heap, 19 MiB of external
 * memory (bson allocates a 17 MiB serialization buffer at import) and 0.4 s;
 * imported statically by the registry, every measured child, whatever its
 * codec, would carry that, and the external memory alone changes how V8 sizes
 * its heap. `Codec.init` calls it before the baseline.
 */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
}
