"""A compiled cache: validated data stored once as plain data, reused while its source files are unchanged.

Parsing and validating the TOML data costs more than the rest of a start-up, so the built objects
are stored in the user's cache folder, keyed by each source file's path, size and modification
time plus the Python and package versions. The cache folder may be shared, so a stored file is
never trusted: it is JSON (plus a NumPy ``.npz`` loaded with ``allow_pickle=False`` for arrays),
which cannot run code when read, and it is decoded against the declared type, field by field; a
file of any other shape is rebuilt. The cache only accelerates: any problem reading or writing it
falls back to building from the files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import sys
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

CACHE_FORMAT = 3
Built = TypeVar("Built")
Arrays = list[Any]  # the NumPy arrays of one stored value, referenced from its JSON by position


class CacheMismatch(ValueError):
    """A stored value does not have the declared shape."""


def cache_dir() -> str | None:
    """Where compiled caches go: ``STATUSBOT_CACHE_DIR``, else the user's cache folder; '' disables."""
    configured = os.environ.get("STATUSBOT_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "statusbot")


def toml_files(folder: str) -> list[str]:
    """Every .toml file directly in ``folder``, sorted."""
    return sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".toml"))


@functools.cache
def package_version() -> str:
    """The installed statusbot version, read from its dist-info folder name ('source' when not installed).

    importlib.metadata would cost a fifth of the whole start-up; listing the few folders on the
    import path costs next to nothing.
    """
    pattern = re.compile(r"statusbot-([^-]+)\.dist-info")
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            found = pattern.fullmatch(name)
            if found:
                return found.group(1)
    return "source"


def _key(files: Iterable[str], extra: str = "") -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version}:{extra}".encode())
    for path in files:
        stat = os.stat(path)
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def cache_stem(label: str, sources: list[str], extra: str = "") -> str | None:
    """The path, without suffix, where ``label`` built from ``sources`` is stored; None when caching is off."""
    folder = cache_dir()
    if not folder:
        return None
    try:
        return os.path.join(folder, f"{label}-{package_version()}-{_key(sources, extra)}")
    except OSError:
        return None  # a source went missing: let build() report it


def cached(label: str, sources: list[str], build: Callable[[], Built], kind: Any, *, extra: str = "") -> Built:
    """``build()``'s result of type ``kind``, from the cache when every source file (and ``extra``) is unchanged."""
    stem = cache_stem(label, sources, extra)
    codec = _codec(kind)
    if stem is not None:
        try:
            return typing.cast(Built, _load(stem, codec))
        except Exception:  # a missing, stale, corrupt or foreign file is rebuilt
            pass
    value = build()
    if stem is not None:
        _store(stem, value, codec)
    return value


def _load(stem: str, codec: _Codec) -> object:
    if codec.arrays:
        import numpy as np

        # allow_pickle=False: an object array in the file is refused instead of unpickled
        with np.load(stem + ".npz", allow_pickle=False) as stored:
            document = json.loads(stored["document"].tobytes())
            arrays = [stored[f"a{number}"] for number in range(len(stored.files) - 1)]
    else:
        with open(stem + ".json", "rb") as handle:
            document = json.loads(handle.read())
        arrays = []
    return codec.decode(document, arrays)


def _store(stem: str, value: object, codec: _Codec) -> None:
    folder, name = os.path.split(stem)
    label_and_version = name.rsplit("-", 1)[0] + "-"
    suffix = ".npz" if codec.arrays else ".json"
    temporary = f"{stem}.{os.getpid()}.tmp"
    try:
        arrays: Arrays = []
        document = json.dumps(codec.encode(value, arrays), ensure_ascii=False, separators=(",", ":")).encode()
        os.makedirs(folder, exist_ok=True)
        # only this label's files of this version are ours to replace: another version may share the folder
        for old in os.listdir(folder):
            if old.startswith(label_and_version) and old.endswith(suffix) and old != name + suffix:
                os.unlink(os.path.join(folder, old))
        with open(temporary, "wb") as handle:
            if codec.arrays:
                import numpy as np

                buffer = io.BytesIO()
                named = {f"a{number}": array for number, array in enumerate(arrays)}
                np.savez(buffer, document=np.frombuffer(document, dtype=np.uint8), **named)
                handle.write(buffer.getvalue())
            else:
                handle.write(document)
        os.replace(temporary, stem + suffix)
    except (OSError, TypeError, ValueError):
        # a read-only home, a full disk or an unexpected value only costs start-up time
        with contextlib.suppress(OSError):
            os.unlink(temporary)


# -- a codec per declared type: plain JSON data out, the same typed value back, every part checked --


class _Codec(typing.NamedTuple):
    encode: Callable[[Any, Arrays], Any]
    decode: Callable[[Any, Arrays], Any]
    arrays: bool  # whether values of this type hold NumPy arrays


def _expect(value: Any, kind: type | tuple[type, ...]) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # JSON's true and false are Python bools, which are also ints: a number must not be one
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise CacheMismatch(f"expected {kind}, found {type(value).__name__}")
    return value


def _scalar(kind: type) -> _Codec:
    if kind is float:
        return _Codec(lambda v, _: v, lambda v, _: float(_expect(v, (int, float))), False)
    return _Codec(lambda v, _: v, lambda v, _: _expect(v, kind), False)


def _sequence(item: _Codec, build: Callable[[Any], Any]) -> _Codec:
    return _Codec(
        lambda v, arrays: [item.encode(x, arrays) for x in v],
        lambda v, arrays: build(item.decode(x, arrays) for x in _expect(v, list)),
        item.arrays,
    )


def _fixed(items: list[_Codec], build: Callable[[Any], Any]) -> _Codec:
    def decode(value: Any, arrays: Arrays) -> Any:
        if len(_expect(value, list)) != len(items):
            raise CacheMismatch(f"expected {len(items)} items, found {len(value)}")
        return build(c.decode(x, arrays) for c, x in zip(items, value, strict=True))

    return _Codec(
        lambda v, arrays: [c.encode(x, arrays) for c, x in zip(items, v, strict=True)],
        decode,
        any(c.arrays for c in items),
    )


def _mapping(value: _Codec) -> _Codec:
    return _Codec(
        lambda v, arrays: {_expect(k, str): value.encode(x, arrays) for k, x in v.items()},
        lambda v, arrays: {k: value.decode(x, arrays) for k, x in _expect(v, dict).items()},
        value.arrays,
    )


def _array(kind: Any) -> _Codec:
    import numpy as np

    dtype = np.dtype(typing.get_args(typing.get_args(kind)[1])[0])

    def encode(value: Any, arrays: Arrays) -> int:
        arrays.append(value)
        return len(arrays) - 1

    def decode(value: Any, arrays: Arrays) -> Any:
        array = arrays[_expect(value, int)]
        if array.dtype != dtype:
            raise CacheMismatch(f"expected a {dtype} array, found {array.dtype}")
        return array

    return _Codec(encode, decode, True)


def _array_list(item: _Codec) -> _Codec:
    """Many small arrays (postings): one concatenated array and the lengths, so loading stays one read."""
    import numpy as np

    def encode(value: Any, arrays: Arrays) -> Any:
        lengths = [len(x) for x in value]
        return [item.encode(np.concatenate(value) if value else np.zeros(0, dtype=np.int32), arrays), lengths]

    def decode(value: Any, arrays: Arrays) -> Any:
        joined, lengths = _expect(value, list)
        flat = item.decode(joined, arrays)
        if sum(_expect(n, int) for n in _expect(lengths, list)) != len(flat):
            raise CacheMismatch("array lengths do not add up")
        return list(np.split(flat, np.cumsum(lengths)[:-1])) if lengths else []

    return _Codec(encode, decode, True)


@functools.cache
def _codec(kind: Any) -> _Codec:
    """The codec of a declared type: NamedTuples, tuples, lists, frozensets, str-keyed dicts, scalars, arrays."""
    if kind in (str, int, float, bool):
        return _scalar(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        hints = typing.get_type_hints(kind)
        return _fixed([_codec(hints[name]) for name in kind._fields], lambda items: kind(*items))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(_codec(args[0]), tuple)
    if origin is tuple:
        return _fixed([_codec(a) for a in args], tuple)
    if origin is list:
        item = _codec(args[0])
        return _array_list(item) if _is_array(args[0]) else _sequence(item, list)
    if origin is frozenset:
        return _sequence(_codec(args[0]), frozenset)
    if origin is dict and args[0] is str:
        return _mapping(_codec(args[1]))
    if _is_array(kind):
        return _array(kind)
    raise TypeError(f"the compiled cache cannot store {kind!r}")


def _is_array(kind: Any) -> bool:
    origin = typing.get_origin(kind)
    return getattr(origin, "__name__", "") == "ndarray" and getattr(origin, "__module__", "") == "numpy"
