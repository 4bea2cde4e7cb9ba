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
import zipfile

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
DTYPE_OF["BFloat16Storage"] = None  # not used here


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


def _aligned_info(zf, name, alignment=64):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    start = zf.fp.tell()
    base = start + 30 + len(name.encode("utf-8")) + 4
    pad = (-base) % alignment
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    return info


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
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=False) as zf:
            def put(name, payload):
                zf.writestr(_aligned_info(zf, f"{archive}/{name}"), payload)

            put("data.pkl", data_pkl)
            put("byteorder", b"little")
            for s in sorted(storages, key=lambda s: s.key):  # torch writes keys in string order
                put(f"data/{s.key}", s.flat.tobytes())
            put("version", b"3\n")


# ---------------------------------------------------------------------------- reader

class _PersistentStorage:
    def __init__(self, dtype_name, key, numel):
        self.dtype_name, self.key, self.numel = dtype_name, key, numel


def _rebuild(storage, offset, size, stride, requires_grad, hooks, *rest):
    return ("tensor", storage, offset, tuple(size), tuple(stride))


class _StorageType:
    def __init__(self, name):
        self.name = name


def load(path):
    """Reads a torch zip checkpoint into an OrderedDict name -> numpy array (copies)."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        pkl = [n for n in names if n.endswith("/data.pkl")]
        assert len(pkl) == 1, pkl
        prefix = pkl[0][: -len("data.pkl")]
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_STORED, info.filename
        byteorder = zf.read(prefix + "byteorder").decode() if prefix + "byteorder" in names else "little"
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

        raw = _Unpickler(io.BytesIO(zf.read(pkl[0]))).load()
        flats = {}
        out = collections.OrderedDict()
        for name, (_, st, offset, size, stride) in raw.items():
            if st.key not in flats:
                dt = DTYPE_OF[st.dtype_name].newbyteorder("<")
                data = zf.read(f"{prefix}data/{st.key}")
                assert len(data) == st.numel * dt.itemsize
                flats[st.key] = np.frombuffer(data, dtype=dt)
            flat = flats[st.key]
            a = np.lib.stride_tricks.as_strided(
                flat[offset:], shape=size, strides=tuple(s * flat.itemsize for s in stride))
            out[name] = np.array(a, dtype=flat.dtype.newbyteorder("="))
        return out
