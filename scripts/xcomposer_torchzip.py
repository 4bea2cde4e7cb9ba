"""Minimal writer and reader of PyTorch's zip checkpoint format (what `torch.save(state_dict)`
writes since torch 1.6), without torch.

Written from the public description of the format, not from torch's code:

* The file is a zip archive whose entries are all *stored* (no compression) and live under one
  top-level folder, the archive name (torch uses the file's base name without extension).
* `<archive>/data.pkl` is a protocol-2 pickle of the state dict. Each tensor is pickled as
  `torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
  backward_hooks)`; each storage is a *persistent id*
  `('storage', torch.<Dtype>Storage, key, location, numel)` whose bytes are the entry
  `<archive>/data/<key>` (little-endian, `numel` elements).
* `<archive>/byteorder` holds `little`, `<archive>/version` holds the format version (`3`).
* Entry data is aligned to 64-byte file offsets by padding the local header's extra field
  (id `FB`). Readers must not depend on that.
* torch's writer streams: local headers carry CRC and sizes 0 (general-purpose flag bit 3,
  a data descriptor follows the data), and the archive always ends with zip64 end records.
  A reader must take sizes and offsets from the central directory.

The writer makes pickle emit the `torch` / `torch._utils` globals by registering stand-in
modules in `sys.modules` only while it pickles.
"""
import collections
import contextlib
import io
import pickle
import struct
import sys
import types
import zlib

import numpy as np

# numpy dtype -> torch storage class name, element size
STORAGE_OF = {
    np.dtype("float16"): "HalfStorage",
    np.dtype("float32"): "FloatStorage",
    np.dtype("float64"): "DoubleStorage",
    np.dtype("int64"): "LongStorage",
    np.dtype("int32"): "IntStorage",
    np.dtype("uint8"): "ByteStorage",
}
DTYPE_OF = {v: k for k, v in STORAGE_OF.items()}


class Storage:
    """One flat storage: a 1-D little-endian numpy array."""

    def __init__(self, flat):
        assert flat.ndim == 1
        self.flat = np.ascontiguousarray(flat.astype(flat.dtype.newbyteorder("<")))
        self.key = None


class TensorView:
    """A contiguous tensor `shape` starting at element `offset` of `storage`."""

    def __init__(self, storage, offset, shape):
        self.storage, self.offset, self.shape = storage, int(offset), tuple(int(s) for s in shape)
        n = int(np.prod(self.shape)) if self.shape else 1
        assert self.offset + n <= storage.flat.size

    def stride(self):
        st, acc = [], 1
        for s in reversed(self.shape):
            st.append(acc)
            acc *= s
        return tuple(reversed(st))

    def __reduce_ex__(self, protocol):
        fake = sys.modules["torch._utils"]
        return (fake._rebuild_tensor_v2,
                (self.storage, self.offset, self.shape, self.stride(), False, collections.OrderedDict()))


def tensor(array):
    """A TensorView owning a fresh storage holding `array`."""
    a = np.asarray(array)
    return TensorView(Storage(a.reshape(-1)), 0, a.shape)


@contextlib.contextmanager
def _fake_torch():
    if "torch" in sys.modules:
        raise RuntimeError("a real torch module is loaded; refusing to shadow it")
    torch_mod = types.ModuleType("torch")
    utils_mod = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(*args):  # never called: only its name is pickled
        raise RuntimeError("stand-in")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils_mod._rebuild_tensor_v2 = _rebuild_tensor_v2
    for name in set(STORAGE_OF.values()):
        cls = type(name, (), {})
        cls.__module__ = "torch"
        cls.__qualname__ = name
        setattr(torch_mod, name, cls)
    torch_mod._utils = utils_mod
    sys.modules["torch"] = torch_mod
    sys.modules["torch._utils"] = utils_mod
    try:
        yield torch_mod
    finally:
        del sys.modules["torch._utils"]
        del sys.modules["torch"]


class _ZipStreamWriter:
    """A zip writer that lays records out as torch's writer (miniz, opened with
    MZ_ZIP_FLAG_WRITE_ZIP64, writing to a stream that cannot seek back) does:

    * local header: version needed 0, flags 0x0808 (data descriptor follows, UTF-8 name),
      method 0 (stored), CRC and both sizes written as 0; extra field = torch's alignment
      padding `FB` + LE16 n + n x 'Z', so the data starts at a multiple of 64;
    * the data, then a data descriptor `PK\\x07\\x08`, CRC, 32-bit sizes;
    * central directory entries with the real CRC, sizes and offsets (no extra field);
    * a zip64 end-of-central-directory record and locator (always, as WRITE_ZIP64 asks),
      then the classic end record.
    The real sizes are therefore only in the central directory (and the descriptors).
    """

    ALIGN = 64
    DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1   # 1980-01-01 00:00, for determinism
    FLAGS = 0x0808

    def __init__(self, f):
        self.f, self.pos, self.central = f, 0, []

    def _write(self, b):
        self.f.write(b)
        self.pos += len(b)

    def record(self, name, data):
        name_b = name.encode("utf-8")
        offset = self.pos
        start = offset + 30 + len(name_b) + 4
        pad = (-start) % self.ALIGN
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        self._write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, self.FLAGS, 0, self.DOS_TIME,
                                self.DOS_DATE, 0, 0, 0, len(name_b), len(extra)))
        self._write(name_b + extra)
        assert self.pos % self.ALIGN == 0
        crc = zlib.crc32(data) & 0xFFFFFFFF
        self._write(data)
        self._write(struct.pack("<IIII", 0x08074B50, crc, len(data), len(data)))
        self.central.append((name_b, crc, len(data), offset))

    def finish(self):
        cd_offset = self.pos
        for name_b, crc, size, offset in self.central:
            self._write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, self.FLAGS, 0,
                                    self.DOS_TIME, self.DOS_DATE, crc, size, size, len(name_b),
                                    0, 0, 0, 0, 0, offset))
            self._write(name_b)
        cd_size = self.pos - cd_offset
        n = len(self.central)
        z64 = self.pos
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 0x002D, 0, 0, n, n,
                                cd_size, cd_offset))
        self._write(struct.pack("<IIQI", 0x07064B50, 0, z64, 1))
        self._write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                                cd_size, cd_offset, 0))


def save(state, path, archive):
    """Writes `state` (an ordered mapping name -> TensorView) as torch.save would."""
    storages = []  # in order of first use
    with _fake_torch() as torch_mod:
        class _Pickler(pickle.Pickler):
            def persistent_id(self, obj):
                if isinstance(obj, Storage):
                    if obj.key is None:
                        obj.key = str(len(storages))
                        storages.append(obj)
                    cls = getattr(torch_mod, STORAGE_OF[obj.flat.dtype.newbyteorder("=")])
                    return ("storage", cls, obj.key, "cpu", int(obj.flat.size))
                return None

        for t in state.values():
            t.storage.key = None
        buf = io.BytesIO()
        _Pickler(buf, protocol=2).dump(collections.OrderedDict(state))
        data_pkl = buf.getvalue()

    with open(path, "wb") as f:
        zw = _ZipStreamWriter(f)
        zw.record(f"{archive}/data.pkl", data_pkl)
        zw.record(f"{archive}/byteorder", b"little")
        for s in sorted(storages, key=lambda s: s.key):  # torch writes keys in string order
            zw.record(f"{archive}/data/{s.key}", s.flat.tobytes())
        zw.record(f"{archive}/version", b"3\n")
        zw.finish()


# ---------------------------------------------------------------------------- reader

class _PersistentStorage:
    def __init__(self, dtype_name, key, numel):
        self.dtype_name, self.key, self.numel = dtype_name, key, numel


def _rebuild(storage, offset, size, stride, requires_grad, hooks, *rest):
    return ("tensor", storage, offset, tuple(size), tuple(stride))


class _StorageType:
    def __init__(self, name):
        self.name = name


def read_zip(path):
    """A minimal zip reader of stored entries: name -> bytes. Uses the central directory (the
    local headers of torch files carry no sizes), zip64 end records when present, and checks
    every CRC."""
    with open(path, "rb") as f:
        blob = f.read()
    eocd = blob.rfind(b"PK\x05\x06", max(0, len(blob) - 22 - 65535))
    assert eocd >= 0, "no end of central directory"
    (_, _, _, n, _, cd_size, cd_offset, _) = struct.unpack_from("<IHHHHIIH", blob, eocd)
    loc = eocd - 20
    if loc >= 0 and blob[loc:loc + 4] == b"PK\x06\x07":
        (_, _, z64, _) = struct.unpack_from("<IIQI", blob, loc)
        assert blob[z64:z64 + 4] == b"PK\x06\x06"
        (_, _, _, _, _, _, _, n, cd_size, cd_offset) = struct.unpack_from("<IQHHIIQQQQ", blob, z64)
    out = collections.OrderedDict()
    pos = cd_offset
    for _ in range(n):
        (sig, _, _, flags, method, _, _, crc, csize, usize, nlen, xlen, clen, _, _, _,
         offset) = struct.unpack_from("<IHHHHHHIIIHHHHHII", blob, pos)
        assert sig == 0x02014B50 and method == 0
        name = blob[pos + 46:pos + 46 + nlen].decode("utf-8")
        extra = blob[pos + 46 + nlen:pos + 46 + nlen + xlen]
        pos += 46 + nlen + xlen + clen
        # zip64 extended information (id 1) replaces saturated fields, in this order.
        i = 0
        while i + 4 <= len(extra):
            hid, hlen = struct.unpack_from("<HH", extra, i)
            if hid == 1:
                vals = list(struct.unpack_from("<%dQ" % (hlen // 8), extra, i + 4))
                if usize == 0xFFFFFFFF:
                    usize = vals.pop(0)
                if csize == 0xFFFFFFFF:
                    csize = vals.pop(0)
                if offset == 0xFFFFFFFF:
                    offset = vals.pop(0)
            i += 4 + hlen
        assert blob[offset:offset + 4] == b"PK\x03\x04", name
        lnlen, lxlen = struct.unpack_from("<HH", blob, offset + 26)
        data_at = offset + 30 + lnlen + lxlen
        data = blob[data_at:data_at + usize]
        assert len(data) == usize == csize and zlib.crc32(data) & 0xFFFFFFFF == crc, name
        out[name] = data
    return out


def load(path):
    """Reads a torch zip checkpoint into an OrderedDict name -> numpy array (copies)."""
    entries = read_zip(path)
    names = list(entries)
    pkl = [n for n in names if n.endswith("/data.pkl")]
    assert len(pkl) == 1, pkl
    prefix = pkl[0][: -len("data.pkl")]
    assert all(n.startswith(prefix) for n in names)
    byteorder = entries[prefix + "byteorder"].decode() if prefix + "byteorder" in entries else "little"
    assert byteorder == "little"

    class _Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "torch._utils" and name == "_rebuild_tensor_v2":
                return _rebuild
            if module == "collections" and name == "OrderedDict":
                return collections.OrderedDict
            if module == "torch" and name.endswith("Storage"):
                return _StorageType(name)
            raise pickle.UnpicklingError(f"unexpected global {module}.{name}")

        def persistent_load(self, pid):
            kind, stype, key, location, numel = pid
            assert kind == "storage" and location == "cpu"
            return _PersistentStorage(stype.name, key, numel)

    raw = _Unpickler(io.BytesIO(entries[pkl[0]])).load()
    flats = {}
    out = collections.OrderedDict()
    for name, (_, st, offset, size, stride) in raw.items():
        if st.key not in flats:
            dt = DTYPE_OF[st.dtype_name].newbyteorder("<")
            data = entries[f"{prefix}data/{st.key}"]
            assert len(data) == st.numel * dt.itemsize
            flats[st.key] = np.frombuffer(data, dtype=dt)
        flat = flats[st.key]
        a = np.lib.stride_tricks.as_strided(
            flat[offset:], shape=size, strides=tuple(s * flat.itemsize for s in stride))
        out[name] = np.array(a, dtype=flat.dtype.newbyteorder("="))
    return out
