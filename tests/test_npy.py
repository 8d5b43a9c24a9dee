"""npy.py reads the .npz members numpy writes, without numpy, and refuses what it cannot."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pytest

from headlines import npy

ARRAYS = {
    "f4": np.array([1.5, -2.25, np.inf], dtype="<f4"),
    "f8_big": np.array([[0.1, 0.2], [0.3, 0.4]], dtype=">f8"),
    "f2": np.array([0.5, 2.0], dtype="<f2"),
    "i8": np.int64(-7),
    "u1": np.array([0, 255], dtype=np.uint8),
    "i4_big": np.array([-1, 65536], dtype=">i4"),
    "b1": np.bool_(True),
    "text": np.array(["sport", "", "één €"], dtype="<U5"),
    "text_big": np.array(["ab"], dtype=">U2"),
    "empty": np.zeros((0, 3), dtype="<f8"),
    "fortran": np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)),
}


def _npz(arrays: dict[str, np.ndarray], **kw: object) -> tuple[bytes, list[zipfile.ZipInfo]]:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays, **kw)  # type: ignore[arg-type]
    data = buffer.getvalue()
    return data, zipfile.ZipFile(io.BytesIO(data)).infolist()


def test_members_and_values_are_what_numpy_wrote() -> None:
    data, infos = _npz(ARRAYS)
    found = npy.members(data, infos)
    assert sorted(found) == sorted(ARRAYS)
    for name, array in ARRAYS.items():
        member = found[name]
        array = np.asarray(array)
        assert (member.shape, member.fortran) == (array.shape, np.isfortran(array))
        assert member.kind == array.dtype.kind
        assert member.big_endian == (array.dtype.byteorder == ">")
        flat = array.ravel(order="F" if member.fortran else "C").tolist()
        assert npy.values(data, member) == flat


@pytest.mark.parametrize(
    ("arrays", "error"),
    [
        ({"x": np.array([object()], dtype=object)}, "x.npy holds Python objects"),
        ({"x": np.zeros(2, dtype=[("a", "<f4")])}, "x.npy holds records"),
        ({"x": np.array([1 + 2j])}, "x.npy holds values of type '<c16'"),
    ],
)
def test_what_is_not_plain_values_is_refused(arrays: dict[str, np.ndarray], error: str) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    data = buffer.getvalue()
    with pytest.raises(ValueError, match=re.escape(error)):
        npy.members(data, zipfile.ZipFile(io.BytesIO(data)).infolist())


def test_a_cut_or_compressed_archive_is_refused() -> None:
    data, infos = _npz({"x": np.arange(1000, dtype="<f8")})
    with pytest.raises(ValueError, match=re.escape("x.npy is cut short")):
        npy.members(data[:-4000], infos)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=np.arange(10))
    packed = buffer.getvalue()
    with pytest.raises(ValueError, match=re.escape("x.npy is compressed")):
        npy.members(packed, zipfile.ZipFile(io.BytesIO(packed)).infolist())
