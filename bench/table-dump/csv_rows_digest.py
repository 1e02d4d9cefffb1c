#!/usr/bin/env python3
"""Order-independent digest of a CSV stream's records: "<digest> <bytes> <records>".

Reads CSV (PostgreSQL's COPY ... (FORMAT csv) output) on stdin and prints a digest of the
multiset of its records, so that two dumps of one table in different row orders (the anchor's
plain `\\copy t TO`, which comes out in heap order, and Ferry's, in key order) compare equal
exactly when they hold the same records the same number of times.

A record is its raw bytes, quotes and all: a record ends at a newline outside quotes (an even
number of '"' so far), so values with embedded newlines stay one record, and NULL (an empty
unquoted field) stays apart from the empty string ("\"\""). Each record's BLAKE2b-128 is summed
modulo 2^128; the sum, the byte count and the record count together are the digest.
"""
import hashlib
import sys

MOD = 1 << 128


def main() -> None:
    total = 0
    size = 0
    records = 0
    pending = b""
    quotes = 0
    blake = hashlib.blake2b
    for line in sys.stdin.buffer:
        size += len(line)
        quotes += line.count(b'"')
        if pending or quotes % 2:
            pending += line
            if quotes % 2:
                continue
            line, pending = pending, b""
        quotes = 0
        total += int.from_bytes(blake(line.rstrip(b"\n"), digest_size=16).digest(), "big")
        records += 1
    if pending:
        # an unterminated quoted value at the end: counted as it is, never dropped
        total += int.from_bytes(blake(pending, digest_size=16).digest(), "big")
        records += 1
    print(f"{total % MOD:032x} {size} {records}")


if __name__ == "__main__":
    main()
