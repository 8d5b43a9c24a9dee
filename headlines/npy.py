"""Arrays in numpy's .npy format, inside a zip (an .npz), read with Python alone.

Covers: where each member of an uncompressed .npz keeps its values (:func:`members`, from
the members' headers) and the values of a small member as Python values (:func:`values`).
Does not cover: what the arrays mean or checking them (persistence.py), or building numpy
arrays of them (persistence.py, with numpy).

``members(data, zipfile.ZipFile(io.BytesIO(data)).infolist())``
-> ``{"idf": Member(kind="f", size=8, shape=(524288,), offset=832, ...), ...}``
"""

from __future__ import annotations

import ast
import math
import re
import struct
import sys
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    import mmap

# The bytes of a file, read or mapped.
Data: TypeAlias = "bytes | mmap.mmap"

# The types read here: booleans, integers, floats and text, in either byte order. Anything
# else (Python objects, records) is refused before numpy sees it.
_DESCR = re.compile(r"([<>|=]?)([biufU])(\d{1,4})", re.ASCII)
_MAGIC = b"\x93NUMPY"


@dataclass(frozen=True)
class Member:
    """Where an .npy member keeps its values, from its header."""

    descr: str  # numpy's name of the type: "<f4", "<U7", "|b1"
    kind: str  # b, i, u, f or U
    size: int  # bytes of a number; characters of a text
    big_endian: bool
    shape: tuple[int, ...]
    fortran: bool
    offset: int  # of the first value, in the data
    end: int


def members(data: Data, infos: list[zipfile.ZipInfo]) -> dict[str, Member]:
    """The members of an ``.npz`` whose bytes are ``data`` and whose zip entries are
    ``infos``, by name without ``.npy``.

    What ``np.load(..., allow_pickle=False)`` accepts, less: each member must be stored
    uncompressed, in .npy format 1.0 or 2.0, and hold plain values. Its header is read as
    numpy reads it, a Python literal read with ``ast.literal_eval``. Raises ValueError
    saying what is wrong.
    """
    found: dict[str, Member] = {}
    for info in infos:
        name = info.filename
        if info.compress_type != zipfile.ZIP_STORED:
            raise ValueError(f"{name} is compressed")
        local = data[info.header_offset : info.header_offset + 30]
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise ValueError(f"no {name} where the archive says")
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        start = info.header_offset + 30 + name_length + extra_length
        head = data[start : start + 12]
        if head[:6] != _MAGIC or len(head) < 10:
            raise ValueError(f"{name} is not an .npy array")
        version = (head[6], head[7])
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"{name} is in .npy format {version}")
        size_at = 10 if version == (1, 0) else 12
        (length,) = struct.unpack("<H" if version == (1, 0) else "<I", head[8:size_at])
        descr, shape, fortran = _header(
            name, bytes(data[start + size_at : start + size_at + length])
        )
        match = _DESCR.fullmatch(descr)
        if match is None and "O" in descr:
            raise ValueError(f"{name} holds Python objects, which only a pickle can")
        if match is None:
            raise ValueError(f"{name} holds values of type {descr!r}")
        order, kind, size = match[1], match[2], int(match[3])
        offset = start + size_at + length
        end = offset + math.prod(shape) * size * (4 if kind == "U" else 1)
        if end > start + info.file_size or end > len(data):
            raise ValueError(f"{name} is cut short")
        big = order == ">" or (order == "=" and sys.byteorder == "big")
        member = Member(descr, kind, size, big, shape, fortran, offset, end)
        found[name.removesuffix(".npy")] = member
    return found


def _header(name: str, header: bytes) -> tuple[str, tuple[int, ...], bool]:
    """``descr``, ``shape`` and ``fortran_order`` from an .npy header."""
    try:
        literal = ast.literal_eval(header.decode("latin-1"))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError(f"{name} has a damaged header") from None
    if not isinstance(literal, dict) or set(literal) != {"descr", "fortran_order", "shape"}:
        raise ValueError(f"{name} has a damaged header")
    descr, shape, fortran = literal["descr"], literal["shape"], literal["fortran_order"]
    if not isinstance(descr, str):
        raise ValueError(f"{name} holds records, which headlines does not read")
    if not (isinstance(shape, tuple) and all(type(n) is int and n >= 0 for n in shape)):
        raise ValueError(f"{name} has a damaged header")
    if not isinstance(fortran, bool):
        raise ValueError(f"{name} has a damaged header")
    return descr, shape, fortran


def values(data: Data, member: Member) -> list[Any]:
    """Every value of a member, flat, as Python values (meant for small members)."""
    raw = bytes(data[member.offset : member.end])
    count = math.prod(member.shape)
    if member.kind == "U":
        codec, width = ("utf-32-be" if member.big_endian else "utf-32-le"), 4 * member.size
        return [raw[i * width : (i + 1) * width].decode(codec).rstrip("\x00")
                for i in range(count)]  # fmt: skip
    if member.kind == "f":
        code = {2: "e", 4: "f", 8: "d"}.get(member.size)
        if code is None:
            raise ValueError(f"a float of {member.size} bytes")
        return list(struct.unpack(f"{'>' if member.big_endian else '<'}{count}{code}", raw))
    size, signed = member.size, member.kind == "i"
    order: Literal["big", "little"] = "big" if member.big_endian else "little"
    return [int.from_bytes(raw[i * size : (i + 1) * size], order, signed=signed)
            for i in range(count)]  # fmt: skip
