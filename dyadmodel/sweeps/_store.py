"""The on-disk form of a sweep: a zarr store (format 2) that xarray opens directly.

Layout of ``<path>``::

    .zgroup, .zattrs, .zmetadata      zarr group; attributes = provenance + the spec
    <coordinate>/, <output>/          zarr arrays; every output is chunked exactly like
                                      the sweep, so writing one sweep chunk touches only
                                      that chunk's files
    .dyadmodel/spec.json              the canonical spec (what a resume must match)
    .dyadmodel/done/<k>               written (atomically) after chunk k's data are on disk

A chunk counts as finished only when its marker exists. A process killed while writing
chunk ``k`` leaves no marker for it, so a resume recomputes ``k`` and overwrites whatever
part of it was written; nothing else is touched. The markers live in a hidden directory
that zarr and xarray ignore (the group's metadata is consolidated).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dyadmodel.errors import StoreError

__all__ = ["SweepSpecError", "SweepStore"]

_META = ".dyadmodel"


class SweepSpecError(StoreError):
    """A store that holds a different sweep than the one asked for (or no sweep), or one
    that another running sweep is writing."""


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _diff(old: Any, new: Any, where: str = "") -> list[str]:
    """Human-readable differences between two canonical specs."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new)):
            key = f"{where}.{k}" if where else str(k)
            if k not in old:
                out.append(f"{key} is new")
            elif k not in new:
                out.append(f"{key} was removed")
            else:
                out.extend(_diff(old[k], new[k], key))
        return out
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(x, dict) for x in old)
    ):
        # e.g. the measures: name the option that changed, not a truncated list
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in _diff(a, b, f"{where}[{i}]")]
    if old != new:
        return [f"{where}: stored {_show(old)}, now {_show(new)}"]
    return []


def _show(v: Any) -> str:
    def dec(x: Any) -> Any:
        if isinstance(x, str) and x.startswith(("0x", "-0x")) and "p" in x:
            try:
                return float.fromhex(x)
            except ValueError:
                return x
        if isinstance(x, list):
            return [dec(y) for y in x]
        if isinstance(x, dict):
            return {k: dec(y) for k, y in x.items()}
        return x

    text = json.dumps(dec(v))
    return text if len(text) <= 120 else text[:117] + "..."


class SweepStore:
    """A sweep's zarr store: create or reopen, write chunks, list finished chunks."""

    def __init__(self, path: Path, spec: Mapping[str, Any]) -> None:
        self.path = Path(path)
        self.spec = spec
        self.meta = self.path / _META
        self.done_dir = self.meta / "done"
        self._group = None

    # -- opening -------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an exclusive lock on the store while a sweep writes it.

        A second sweep on the same store (another terminal, a job started twice) is
        refused instead of interleaving its writes. The lock is an ``flock`` on
        ``<path>.lock`` beside the store, so the operating system releases it when the
        holder dies, even by SIGKILL.
        """
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        while True:
            f = open(lock_path, "a+")  # held open (and locked) for the whole sweep
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.seek(0)
                holder = f.read().strip() or "another process"
                f.close()
                raise SweepSpecError(
                    f"{self.path} is being written by another running sweep ({holder}); wait "
                    "for it to finish, or stop it, or write to another path"
                ) from None
            try:  # the holder before us may have removed the file while we waited
                same = os.stat(lock_path).st_ino == os.fstat(f.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            f.close()
        try:
            f.seek(0)
            f.truncate()
            f.write(f"pid {os.getpid()}")
            f.flush()
            yield
        finally:
            lock_path.unlink(missing_ok=True)  # before unlocking: see the inode check
            f.close()

    def exists(self) -> bool:
        return self.path.exists()

    def check(self) -> None:
        """Refuse a store that is not this sweep's."""
        spec_file = self.meta / "spec.json"
        if not spec_file.is_file():
            if self.path.is_dir() and not any(self.path.iterdir()):
                return  # an empty directory: take it
            raise SweepSpecError(
                f"{self.path} exists but is not a dyadmodel sweep store (no {_META}/spec.json); "
                "choose another path, or pass overwrite=True (--overwrite) to replace it"
            )
        try:
            stored = json.loads(spec_file.read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise SweepSpecError(
                f"{spec_file}: cannot read the stored sweep spec ({err}); pass overwrite=True "
                "to start again"
            ) from None
        if stored != json.loads(json.dumps(self.spec)):
            changes = _diff(stored, json.loads(json.dumps(self.spec)))
            shown = "; ".join(changes[:6]) + (
                f"; and {len(changes) - 6} more" if len(changes) > 6 else ""
            )
            raise SweepSpecError(
                f"{self.path} holds a different sweep, so it cannot be resumed with this spec "
                f"({shown}). Resume with the original spec, write to a new path, or pass "
                "overwrite=True (--overwrite) to discard the stored results"
            )

    def remove(self) -> None:
        if self.path.is_dir():
            shutil.rmtree(self.path)
        elif self.path.exists():
            self.path.unlink()

    def create(
        self,
        coords: Mapping[str, tuple[Sequence[str], np.ndarray]],
        variables: Mapping[str, dict[str, Any]],
        attrs: Mapping[str, Any],
    ) -> None:
        """Write the group, the coordinates and empty outputs, then the spec (last: a
        store without spec.json is an unfinished creation, refused and not resumed)."""
        import zarr

        if self.path.exists():
            self.remove()
        root = zarr.open_group(str(self.path), mode="w", zarr_format=2)
        root.attrs.update(dict(attrs))
        for name, (dims, values) in coords.items():
            values = np.asarray(values)
            if values.dtype.kind in "OU":
                values = values.astype(f"<U{max(1, max(len(str(v)) for v in values))}")
            a = root.create_array(
                name,
                shape=values.shape,
                dtype=values.dtype,
                chunks=values.shape or (1,),
                fill_value=None,
            )
            a[...] = values
            a.attrs["_ARRAY_DIMENSIONS"] = list(dims)
        for name, v in variables.items():
            a = root.create_array(
                name, shape=v["shape"], dtype=v["dtype"], chunks=v["chunks"], fill_value=v["fill"]
            )
            a.attrs.update({"_ARRAY_DIMENSIONS": list(v["dims"]), **v["attrs"]})
        zarr.consolidate_metadata(str(self.path))
        self.done_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.meta / "spec.json", json.dumps(self.spec, indent=1).encode())

    # -- chunks --------------------------------------------------------------------------
    def finished(self) -> set[int]:
        if not self.done_dir.is_dir():
            return set()
        return {int(p.name) for p in self.done_dir.iterdir() if p.name.isdigit()}

    def write(
        self,
        k: int,
        region: tuple[slice, ...],
        block: tuple[int, ...],
        data: Mapping[str, np.ndarray],
    ) -> None:
        """Write chunk ``k``'s outputs into ``region``, then mark it finished."""
        import zarr

        if self._group is None:
            self._group = zarr.open_group(str(self.path), mode="r+", zarr_format=2)
        for name, values in data.items():
            arr = self._group[name]
            extra = arr.shape[len(block) :]
            arr[region + (slice(None),) * len(extra)] = np.asarray(values).reshape(block + extra)
        _atomic_write(self.done_dir / str(k), b"")

    def mark_complete(self) -> None:
        _atomic_write(self.meta / "complete", b"")

    def is_complete(self) -> bool:
        return (self.meta / "complete").is_file()
