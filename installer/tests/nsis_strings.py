#!/usr/bin/env python3
"""Prints the texts an NSIS installer carries (its header's string table), so a test can read
the Kazakh strings back from the built installer. Handles the solid LZMA installers our
build makes: the first header, then one raw LZMA stream whose first block is the header.

usage: nsis_strings.py setup.exe
"""
import lzma
import struct
import sys


def header_block(data: bytes) -> bytes:
    sig = data.find(b"\xef\xbe\xad\xdeNullsoftInst")
    if sig < 4:
        raise SystemExit("not an NSIS installer (no first header)")
    start = sig - 4
    _flags, _siginfo = struct.unpack_from("<II", data, start)
    header_len, _total = struct.unpack_from("<II", data, start + 20)
    stream = data[start + 28:]
    props, dict_size = stream[0], struct.unpack_from("<I", stream, 1)[0]
    lc, rem = props % 9, props // 9
    lp, pb = rem % 5, rem // 5
    filters = [{"id": lzma.FILTER_LZMA1, "lc": lc, "lp": lp, "pb": pb, "dict_size": dict_size}]
    out = lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=filters).decompress(stream[5:], max_length=header_len + 4)
    (block_len,) = struct.unpack_from("<I", out, 0)
    return out[4:4 + (block_len & 0x7FFFFFFF)]


def main() -> None:
    block = header_block(open(sys.argv[1], "rb").read())
    # Unicode installers keep their strings as UTF-16LE, NUL-terminated.
    text = block.decode("utf-16-le", errors="replace")
    for s in text.split("\x00"):
        s = "".join(ch for ch in s if ch.isprintable())
        if len(s) >= 3:
            print(s)


if __name__ == "__main__":
    main()
