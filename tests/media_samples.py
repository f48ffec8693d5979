"""Tiny media files for tests: each starts the way its format does, as Meta's (and the
simulator's) checks look at the first bytes. A few hundred bytes each, built here, not stored.

`PNG` is a complete, valid 1x1 image. `JPEG` has a real JFIF header and end marker around a
comment segment (no image data: nothing here decodes pixels). `MP4` is an `ftyp` box followed
by an empty `moov` and a small `mdat`. `NOT_MEDIA` is what a misconfigured host often serves
instead: an HTML page.
"""

from __future__ import annotations

import hashlib
import struct
import zlib


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\x33\x66\x99")  # filter byte, then one RGB pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"threads-bridge test image " * 10
    return (
        b"\xff\xd8"  # start of image
        + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0
        + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
        + b"\xff\xd9"  # end of image
    )  # fmt: skip


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def _mp4() -> bytes:
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")
    return ftyp + _box(b"moov", b"") + _box(b"mdat", b"\x00" * 256)


PNG = _png()
JPEG = _jpeg()
MP4 = _mp4()
NOT_MEDIA = b"<!doctype html><html><body><h1>Sign in to see this file</h1></body></html>\n" * 3


def sha256(data: bytes) -> str:
    """The hex digest the simulator records for a download of `data`."""
    return hashlib.sha256(data).hexdigest()
