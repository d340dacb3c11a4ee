#!/usr/bin/env python3
"""The Python peer of serialization-footprint: the original experiment, in CPython.

One fresh `python3` process per (format, phase, repeat), measured the way the
JavaScript child is (bench/measure/child.ts): write 5 to /proc/self/clear_refs,
read the baseline, run the phase, read VmHWM, and verify the data outside the
window. Standard library only, Python >= 3.9.

The data is the suite's seeded tuples, bit for bit: `generate` ports
bench/data/rng.ts (sfc32 seeded through splitmix32) and `checksum` ports
bench/data/hash.ts; test/python-peer.test.ts proves both against
fixtures/golden-seed42-n10000.json. A tuple is (float in [0, 1), 20-letter str,
int in [0, 2**64)): Python's int is arbitrary precision, so the uint64 is held
exactly in memory; each format below says how it keeps it exact in the file.

Usage (the orchestrator, bench/peer/python/peer.ts, builds these lines):
  python3 footprint_peer.py --format pickle --phase dump --n 1000000 --seed 42 --file /tmp/x.pickle [--expect CHECKSUM]
  python3 footprint_peer.py --self-test N SEED   (prints the checksum and the first and last tuples)

Output: JSON lines on stdout, the same messages the JavaScript child sends over
IPC ({"type": "marker" | "result" | "verify" | "error", ...}); the last line is
the result. Marker times are time.monotonic() (CLOCK_MONOTONIC), the clock the
parent's RSS samples use.
"""
import argparse
import ast
import gc
import hashlib
import json
import os
import pickle
import struct
import subprocess
import sys
import time

MASK = 0xFFFFFFFF
STRING_WIDTH = 20
ALPHABET_START = 64  # '@'
ALPHABET_SIZE = 26  # '@'..'Y', as in the original chr(64 + randint(0, 25))
TWO64 = 1 << 64


# ---------------------------------------------------------------- generator
# A line-by-line port of bench/data/rng.ts and bench/data/datasets/tuples.ts. The JavaScript works on int32
# values with `| 0`, `>>> 0` and Math.imul; the same bits are kept here as
# unsigned 32-bit ints (every operation masked with 0xFFFFFFFF), which is why
# `>>>` becomes `>>`: on the unsigned value it is the logical shift.


def _splitmix32(state):
    s = (state[0] + 0x9E3779B9) & MASK
    state[0] = s
    z = s
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK
    return (z ^ (z >> 16)) & MASK


def _seed_word(seed):
    # JS: (seed | 0) ^ (Math.floor(seed / 2**32) | 0), i.e. the low word XOR the high word (floor, as //)
    return (seed & MASK) ^ ((seed // 4294967296) & MASK)


def _sfc32_words(state, count):
    """`count` sfc32 outputs; state = [a, b, c, d], updated. Inlined in one loop: a function call per 32-bit
    word would make 1M tuples (24M words) several times slower."""
    a, b, c, d = state
    words = []
    append = words.append
    for _ in range(count):
        t = (a + b + d) & MASK
        d = (d + 1) & MASK
        a = b ^ (b >> 9)
        b = (c + (c << 3)) & MASK
        c = ((c << 21) | (c >> 11)) & MASK
        c = (c + t) & MASK
        append(t)
    state[:] = [a, b, c, d]
    return words


def iterate_tuples(n, seed):
    """Yields the n tuples of `seed`, exactly as bench/data/datasets/tuples.ts's iterateTuples."""
    if isinstance(seed, bool) or not isinstance(seed, int) or abs(seed) > 2**53 - 1:
        raise ValueError("seed must be a safe integer, got %r" % (seed,))
    st = [_seed_word(seed)]
    state = [_splitmix32(st), _splitmix32(st), _splitmix32(st), 1]
    _sfc32_words(state, 16)  # the first 16 outputs are discarded, as sfc32's author recommends (and generate.ts does)
    remaining = n
    while remaining > 0:
        k = min(4096, remaining)
        words = _sfc32_words(state, 24 * k)  # a tuple takes 24 words: 2 float, 20 string, 2 uint64
        for i in range(0, 24 * k, 24):
            hi = words[i] >> 5  # 27 bits
            lo = words[i + 1] >> 6  # 26 bits
            f = (hi * 67108864 + lo) / 9007199254740992  # exact: (hi * 2^26 + lo) / 2^53
            # letter = floor(u32 * 26 / 2^32), as generate.ts
            s = bytes([ALPHABET_START + ((w * ALPHABET_SIZE) >> 32) for w in words[i + 2 : i + 22]]).decode("latin-1")
            u = (words[i + 22] << 32) | words[i + 23]
            yield (f, s, u)
        remaining -= k


def generate_tuples(n, seed):
    """The n tuples of `seed` in one list, as the original experiment held them."""
    return list(iterate_tuples(n, seed))


# ---------------------------------------------------------------- checksum
# A port of the tuples' checksum (bench/data/hash.ts over the tuples' schema):
# SHA-256 over each tuple's canonical bytes (the float's 8 IEEE-754 bytes little
# endian, the uint64's 8 bytes little endian, the string's length in UTF-16 code
# units as uint32, its UTF-16 code units), digest prefixed with the tuple count.
# An integer outside [0, 2**64) is a misfit: in its place the bytes of
# "\0misfit:<len>:bigint:<decimal>", and the digest reads "<count>!<hex>", which
# no tuple of in-range values can give. The JavaScript batches the bytes into
# 64 KiB chunks before hashing; SHA-256 of the concatenation is the same.

_PACK_HEAD = struct.Struct("<dQI").pack
_PACK_FLOAT = struct.Struct("<d").pack
_PACK_LENGTH = struct.Struct("<I").pack


class TupleHasher(object):
    def __init__(self):
        self._h = hashlib.sha256()
        self._parts = []
        self.count = 0
        self.misfit = False

    def add(self, f, s, n):
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError("tuple %d: integer is %s, expected int" % (self.count, type(n).__name__))
        if not isinstance(f, float):
            raise TypeError("tuple %d: float is %s, expected float" % (self.count, type(f).__name__))
        if not isinstance(s, str):
            raise TypeError("tuple %d: string is %s, expected str" % (self.count, type(s).__name__))
        units = s.encode("utf-16-le", "surrogatepass")
        out_of_range = n < 0 or n >= TWO64
        length = len(units) // 2
        if out_of_range:
            # as hash.ts: the float, then the misfit's text in the uint64's place (its whole value, so no
            # two values collide after a 64-bit wrap), then the string
            text = "bigint:%d" % n
            self._parts.append(_PACK_FLOAT(f))
            self._parts.append(("\0misfit:%d:%s" % (len(text), text)).encode("latin-1"))
            self._parts.append(_PACK_LENGTH(length))
            self.misfit = True
        else:
            self._parts.append(_PACK_HEAD(f, n, length))
        self._parts.append(units)
        self.count += 1
        if len(self._parts) >= 8192:
            self._h.update(b"".join(self._parts))
            del self._parts[:]

    def add_tuple(self, t):
        if len(t) != 3:
            raise TypeError("tuple %d: not a 3-element sequence" % self.count)
        self.add(t[0], t[1], t[2])

    def digest(self):
        self._h.update(b"".join(self._parts))
        del self._parts[:]
        return "%d%s%s" % (self.count, "!" if self.misfit else ":", self._h.hexdigest())


def checksum_tuples(tuples):
    h = TupleHasher()
    for t in tuples:
        h.add_tuple(t)
    return h.digest()


# ---------------------------------------------------------------- formats
# Each format's dump and load, as the seed experiment wrote them.


def pickle_dump(data, path):
    # pickle (pickle.DEFAULT_PROTOCOL; LONG1 exists from protocol 2 on) stores each int as LONG1: its two's-complement bytes, any size, so
    # the uint64 comes back exactly; each float as BINFLOAT, its 8 IEEE-754 bytes.
    with open(path, "wb") as f:
        pickle.dump(data, f, protocol=pickle.DEFAULT_PROTOCOL)


def pickle_load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def flat_dump(data, path):
    # The original's `print >>f, xx` per tuple: the tuple's repr, one line each. repr(int) is every decimal digit
    # (exact at any size); repr(float) is the shortest string that reads back to the same double.
    with open(path, "w") as f:
        for xx in data:
            print(xx, file=f)


def flat_load(path):
    # Read back line by line, appending, as the original did with eval(line). ast.literal_eval parses the same
    # literal without executing code from the file; it builds the same tuple.
    out = []
    with open(path, "r") as f:
        for line in f:
            out.append(ast.literal_eval(line))
    return out


def json_dump(data, path):
    # For reference, the whole list as one JSON document. Python's json writes an int as its decimal digits and
    # reads it back as an int (arbitrary precision), so the uint64 is exact with no string encoding (JavaScript's
    # JSON cannot do that); floats use repr, which round-trips. Tuples come back as lists.
    with open(path, "w") as f:
        json.dump(data, f)


def json_load(path):
    with open(path, "r") as f:
        return json.load(f)


FORMATS = {
    "pickle": (pickle_dump, pickle_load, "whole"),
    "flat": (flat_dump, flat_load, "stream"),
    "json": (json_dump, json_load, "whole"),
}


# ---------------------------------------------------------------- probes


def read_status():
    with open("/proc/self/status", "r") as f:
        return f.read()


def status_bytes(field, status=None):
    text = status if status is not None else read_status()
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no %s line" % field)


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def max_rss_bytes():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def emit(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def marker(label):
    emit({"type": "marker", "label": label, "monoMs": time.monotonic() * 1000.0})


def full_gc():
    # every generation; twice, so objects freed by the first pass's finalizers go too
    gc.collect()
    gc.collect()


class Window(object):
    """Full GC, baseline, peak reset, clocks: opened right before the phase, closed right after."""

    def __init__(self):
        full_gc()
        self.reset = reset_peak()
        status = read_status()
        self.baseline_rss = status_bytes("VmRSS", status)
        self.gc_counts = [s["collections"] for s in gc.get_stats()]
        self.cpu0 = time.process_time()
        self.t0 = time.perf_counter()

    def close(self):
        wall_ms = (time.perf_counter() - self.t0) * 1000.0
        cpu_ms = (time.process_time() - self.cpu0) * 1000.0
        status = read_status()
        end_rss = status_bytes("VmRSS", status)
        peak = status_bytes("VmHWM", status) if self.reset else max_rss_bytes()
        gcs = sum(s["collections"] for s in gc.get_stats()) - sum(self.gc_counts)
        return {
            "peakRssBytes": peak,
            "baselineRssBytes": self.baseline_rss,
            "peakRssIncrementBytes": peak - self.baseline_rss,
            "endRssBytes": end_rss,
            "wallMs": wall_ms,
            "cpuMs": cpu_ms,
            "peakRssSource": "vmhwm-reset" if self.reset else "maxrss-process",
            "gcCount": gcs,
        }


# ---------------------------------------------------------------- phases


def compare(data, args):
    got = checksum_tuples(data)
    want = args.expect or checksum_tuples(iterate_tuples(args.n, args.seed))
    if got == want:
        return {"verified": True}
    if len(data) != args.n:
        return {"verified": False, "error": "loaded %d records, expected %d" % (len(data), args.n)}
    return {"verified": False, "error": "data differs from the generator's (checksum %s != %s)" % (got, want)}


def not_v8(figures):
    # The Python peer has no V8 heap and no external memory: these required fields of a run are 0 and the peer's
    # report lists them as not measured (bench/peer/python/peer.ts), never as figures.
    figures.update(
        {
            "peakHeapWithGarbageBytes": 0,
            "peakHeapWithGarbageIncrementBytes": 0,
            "peakExternalBytes": 0,
            "baselineExternalBytes": 0,
            "peakExternalIncrementBytes": 0,
            "retainedHeapBytes": 0,
        }
    )
    return figures


def verify_in_fresh_process(args):
    cmd = [sys.executable, os.path.abspath(__file__), "--format", args.format, "--phase", "verify", "--n", str(args.n), "--seed", str(args.seed), "--file", args.file]
    if args.expect:
        cmd += ["--expect", args.expect]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    lines = p.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"verified": False, "unjudged": True, "error": "verifier exited with %s without a verdict: %s" % (p.returncode, p.stderr.strip()[-500:])}


def run_dump(args):
    dump = FORMATS[args.format][0]
    full_gc()
    rss0 = status_bytes("VmRSS")
    data = generate_tuples(args.n, args.seed)
    full_gc()
    data_rss = status_bytes("VmRSS") - rss0  # what the list costs this process: the original finding's yardstick
    marker("baseline")
    w = Window()
    marker("phase-start")
    dump(data, args.file)
    r = w.close()
    marker("phase-end")
    full_gc()
    r["rssAfterGcBytes"] = status_bytes("VmRSS")
    del data
    r["fileBytes"] = os.stat(args.file).st_size
    marker("verify-start")
    v = verify_in_fresh_process(args)
    marker("verify-end")
    r["dataRssBytes"] = data_rss
    r["verified"] = bool(v.get("verified"))
    if v.get("error"):
        r["verifyError"] = v["error"]
    if v.get("unjudged"):
        r["unjudged"] = True  # the file was never judged (verifier died, unreadable): a failure, not a lossy format
    return not_v8(r)


def run_load(args):
    load = FORMATS[args.format][1]
    file_bytes = os.stat(args.file).st_size
    marker("baseline")
    w = Window()
    marker("phase-start")
    data = load(args.file)
    r = w.close()
    marker("phase-end")
    full_gc()
    r["rssAfterGcBytes"] = status_bytes("VmRSS")
    r["fileBytes"] = file_bytes
    marker("verify-start")
    v = compare(data, args)
    marker("verify-end")
    r["verified"] = v["verified"]
    if v.get("error"):
        r["verifyError"] = v["error"]
    return not_v8(r)


def self_test(n, seed):
    data = generate_tuples(n, seed)
    emit(
        {
            "n": n,
            "seed": seed,
            "checksum": checksum_tuples(data),
            "first": [[t[0], t[1], str(t[2])] for t in data[:3]],
            "last": [data[-1][0], data[-1][1], str(data[-1][2])] if data else None,
        }
    )


def main(argv):
    if sys.version_info < (3, 9):
        raise SystemExit("the Python peer needs Python >= 3.9, this is %s" % sys.version.split()[0])
    if len(argv) >= 1 and argv[0] == "--self-test":
        self_test(int(argv[1]), int(argv[2]))
        return
    ap = argparse.ArgumentParser(prog="footprint_peer.py")
    ap.add_argument("--format", required=True, choices=sorted(FORMATS))
    ap.add_argument("--phase", required=True, choices=["dump", "load", "verify", "prepare"])
    ap.add_argument("--n", required=True, type=int)
    ap.add_argument("--seed", required=True, type=int)
    ap.add_argument("--file", required=True)
    ap.add_argument("--expect")
    args = ap.parse_args(argv)
    if args.phase == "prepare":
        FORMATS[args.format][0](generate_tuples(args.n, args.seed), args.file)
        emit({"type": "verify", "verified": True})
    elif args.phase == "verify":
        try:
            v = compare(FORMATS[args.format][1](args.file), args)
        except Exception as e:  # the file cannot be read back: unjudged, not lossy
            v = {"verified": False, "unjudged": True, "error": "the written file cannot be read back: %s: %s" % (type(e).__name__, e)}
        emit(v)
    else:
        r = run_dump(args) if args.phase == "dump" else run_load(args)
        emit({"type": "result", "figures": r})


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except SystemExit:
        raise
    except BaseException as e:  # noqa: B902 - report every failure as a message, then fail
        emit({"type": "error", "error": "%s: %s" % (type(e).__name__, e)})
        raise
