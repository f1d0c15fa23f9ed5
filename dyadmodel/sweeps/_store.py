"""The on-disk form of a sweep: a zarr store (format 2) that xarray opens directly.

Layout of ``<path>``::

    .zgroup, .zattrs, .zmetadata      zarr group; attributes = provenance + the spec
    <coordinate>/, <output>/          zarr arrays; every output is chunked exactly like
                                      the sweep, so writing one sweep chunk touches only
                                      that chunk's files
    .dyadmodel/store.json             the marker: this directory is a sweep store that
                                      dyadmodel created, and the entries it created
    .dyadmodel/spec.json              the canonical spec (what a resume must match)
    .dyadmodel/done/<k>               written (atomically) after chunk k's data are on
                                      disk: the sha256 of each of the chunk's data files

A chunk counts as finished only when its marker exists and its data files still match
the checksums in it. A process killed while writing chunk ``k`` leaves no marker for it,
so a resume recomputes ``k`` and overwrites whatever part of it was written; a chunk whose
files were later lost, emptied or corrupted is found by its checksums and recomputed too.
The markers live in a hidden directory that zarr and xarray ignore (the group's metadata
is consolidated).

A store is built in a hidden directory beside ``<path>`` and renamed into place once it
is complete (marker, arrays, spec), so a sweep killed while creating it leaves no
half-made store behind and the same command starts it again. Only a directory holding
the marker is ever deleted (``overwrite``), and only when it holds nothing but the
entries the package created: a user's folder is refused, never emptied.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dyadmodel.errors import StoreError

__all__ = ["DamagedChunksWarning", "SweepSpecError", "SweepStore", "is_sweep_store"]

_META = ".dyadmodel"
_MARKER = "store.json"
_CREATED_BY = "dyadmodel sweep store"
_CREATING = ".creating-"  # infix of the hidden directory a store is built in


class SweepSpecError(StoreError):
    """A store that holds a different sweep than the one asked for (or no sweep), or one
    that another running sweep is writing.

    Examples
    --------
    >>> import tempfile
    >>> import dyadmodel as dm
    >>> try:
    ...     dm.open_sweep(tempfile.mkdtemp())
    ... except dm.SweepSpecError as err:
    ...     print(isinstance(err, dm.StoreError))
    True
    """


class DamagedChunksWarning(UserWarning):
    """Finished chunks whose data files are missing, empty or do not match their
    checksums (they are recomputed by a resume, and read as "not computed").

    Examples
    --------
    >>> from dyadmodel.sweeps import DamagedChunksWarning
    >>> issubclass(DamagedChunksWarning, UserWarning)
    True
    """


def is_sweep_store(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a directory holding the marker of a store this package created.

    Parameters
    ----------
    path : str or os.PathLike
        A path.

    Returns
    -------
    bool
        True when it holds the package's marker (``.dyadmodel/store.json``).

    Examples
    --------
    >>> import tempfile
    >>> from dyadmodel.sweeps import is_sweep_store
    >>> is_sweep_store(tempfile.mkdtemp())
    False
    """
    return _read_marker(Path(path)) is not None


def _read_marker(path: Path) -> dict[str, Any] | None:
    marker = path / _META / _MARKER
    try:
        if path.is_symlink() or not marker.is_file():
            return None
        data = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("created_by") != _CREATED_BY:
        return None
    return data


def _sha256(path: Path) -> str | None:
    """The file's sha256, or None when it is missing."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        return None
    return h.hexdigest()


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
        return self.path.exists() or self.path.is_symlink()

    def is_ours(self) -> bool:
        """Whether the path holds the marker of a store this package created."""
        return _read_marker(self.path) is not None

    def has_spec(self) -> bool:
        return self.is_ours() and (self.meta / "spec.json").is_file()

    def _not_a_store(self) -> SweepSpecError:
        if self.path.is_symlink():
            what = "is a symbolic link"
        elif not self.path.is_dir():
            what = "is a file"
        else:
            what = f"is a directory without the store marker {_META}/{_MARKER}"
        return SweepSpecError(
            f"{self.path} {what}: it is not a dyadmodel sweep store, so it is neither resumed "
            "nor replaced (nothing in it was changed); choose a new path or an empty directory"
        )

    def check(self, overwrite: bool = False) -> bool:
        """Refuse a path that is not this sweep's store.

        Returns True when the path already holds this sweep (a resume), False when a new
        store is to be created (the path is missing, an empty directory, a store the
        package created but never finished, or a store of another sweep with
        ``overwrite``). Raises `SweepSpecError` for anything else; nothing is changed.
        """
        if not self.exists():
            return False
        if self.path.is_dir() and not self.path.is_symlink() and not any(self.path.iterdir()):
            return False  # an empty directory: take it
        if not self.is_ours():
            raise self._not_a_store()
        self._foreign_entries_refused()
        spec_file = self.meta / "spec.json"
        if not spec_file.is_file():
            return False  # created by the package, never finished: made again
        if overwrite:
            return False
        try:
            stored = json.loads(spec_file.read_text())
        except (OSError, ValueError) as err:
            raise SweepSpecError(
                f"{spec_file}: cannot read the stored sweep spec ({err}); pass overwrite=True "
                "(--overwrite) to start this store again"
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
        return True

    def _foreign_entries_refused(self) -> None:
        marker = _read_marker(self.path) or {}
        ours = {_META, *marker.get("entries", ())}
        foreign = sorted(p.name for p in self.path.iterdir() if p.name not in ours)
        if foreign:
            shown = ", ".join(foreign[:5]) + (
                f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
            )
            raise SweepSpecError(
                f"{self.path} is a dyadmodel sweep store that also holds files the package did "
                f"not create ({shown}); move them out first (nothing was changed)"
            )

    def remove(self) -> None:
        """Delete the store: only a store the package created, holding nothing else."""
        if not self.exists():
            return
        if self.path.is_dir() and not self.path.is_symlink() and not any(self.path.iterdir()):
            return  # an empty directory is taken as it is
        if not self.is_ours():
            raise self._not_a_store()
        self._foreign_entries_refused()
        for entry in self.path.iterdir():
            if entry.name == _META:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        shutil.rmtree(self.meta)  # the marker last: an interrupted removal stays ours
        self._group = None

    def create(
        self,
        coords: Mapping[str, tuple[Sequence[str], np.ndarray]],
        variables: Mapping[str, dict[str, Any]],
        attrs: Mapping[str, Any],
    ) -> None:
        """Build the store (marker, group, coordinates, empty outputs, spec) in a hidden
        directory beside ``path``, then rename it into place: a store either is
        complete or does not exist."""
        import zarr

        from dyadmodel._version import __version__

        self.remove()  # a store of ours: another sweep (overwrite) or an unfinished one
        parent = self.path.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._remove_abandoned_builds()
        build = Path(tempfile.mkdtemp(dir=parent, prefix=f".{self.path.name}{_CREATING}"))
        try:
            entries = [".zgroup", ".zattrs", ".zmetadata", *coords, *variables]
            marker = {"created_by": _CREATED_BY, "dyadmodel": __version__, "entries": entries}
            (build / _META / "done").mkdir(parents=True)
            _atomic_write(build / _META / _MARKER, json.dumps(marker, indent=1).encode())
            # mode "a": "w" would empty the directory, marker included
            root = zarr.open_group(str(build), mode="a", zarr_format=2)
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
                    name,
                    shape=v["shape"],
                    dtype=v["dtype"],
                    chunks=v["chunks"],
                    fill_value=v["fill"],
                )
                a.attrs.update({"_ARRAY_DIMENSIONS": list(v["dims"]), **v["attrs"]})
            with warnings.catch_warnings():  # the marker's folder is not zarr's
                warnings.filterwarnings("ignore", "Object at .dyadmodel is not recognized")
                zarr.consolidate_metadata(str(build))
            _atomic_write(build / _META / "spec.json", json.dumps(self.spec, indent=1).encode())
            os.rename(build, self.path)  # replaces an empty directory, never anything else
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise

    def _remove_abandoned_builds(self) -> None:
        # hidden builds of this path left by a process killed while creating the store
        # (we hold the store's lock, so no other process is building it now)
        for p in self.path.parent.glob(f".{self.path.name}{_CREATING}*"):
            if p.is_dir() and not p.is_symlink() and _read_marker(p) is not None:
                shutil.rmtree(p, ignore_errors=True)

    # -- chunks --------------------------------------------------------------------------
    def finished(self) -> set[int]:
        """Chunks with a done-marker (whether their data still match: `damaged`)."""
        if not self.done_dir.is_dir():
            return set()
        return {int(p.name) for p in self.done_dir.iterdir() if p.name.isdigit()}

    def damaged(self) -> dict[int, str]:
        """Finished chunks whose data files are missing, empty or changed, with why."""
        out: dict[int, str] = {}
        for k in sorted(self.finished()):
            why = self._check_chunk(k)
            if why:
                out[k] = why
        return out

    def _check_chunk(self, k: int) -> str | None:
        try:
            record = json.loads((self.done_dir / str(k)).read_text())
            files = record["sha256"]
            if not isinstance(files, dict) or not files:
                raise ValueError
        except (OSError, ValueError, KeyError, TypeError):
            return "its done-marker holds no checksums"
        for rel, want in files.items():
            f = self.path / rel
            try:
                size = f.stat().st_size
            except FileNotFoundError:
                return f"{rel} is missing"
            if size == 0:
                return f"{rel} is empty"
            if _sha256(f) != want:
                return f"{rel} does not match its checksum"
        return None

    def forget(self, chunks: Sequence[int]) -> None:
        """Remove the done-markers of ``chunks`` (they are computed again)."""
        for k in chunks:
            (self.done_dir / str(k)).unlink(missing_ok=True)

    def write(
        self,
        k: int,
        region: tuple[slice, ...],
        block: tuple[int, ...],
        data: Mapping[str, np.ndarray],
    ) -> None:
        """Write chunk ``k``'s outputs into ``region``, then mark it finished with the
        checksums of the files written."""
        import zarr

        checksums: dict[str, str] = {}
        # every chunk gets its files, even one equal to the fill value, so that a missing
        # file always means lost data
        with zarr.config.set({"array.write_empty_chunks": True}):
            if self._group is None:
                self._group = zarr.open_group(str(self.path), mode="r+", zarr_format=2)
            for name, values in data.items():
                arr = self._group[name]
                extra = arr.shape[len(block) :]
                arr[region + (slice(None),) * len(extra)] = np.asarray(values).reshape(
                    block + extra
                )
                index = [s.start // c for s, c in zip(region, arr.chunks)] + [0] * len(extra)
                sep = getattr(arr.metadata, "dimension_separator", ".") or "."
                rel = f"{name}/{sep.join(map(str, index))}"
                digest = _sha256(self.path / rel)
                if digest is None:
                    raise StoreError(f"{self.path / rel}: the chunk file was not written")
                checksums[rel] = digest
        _atomic_write(self.done_dir / str(k), json.dumps({"sha256": checksums}).encode())

    def mark_complete(self) -> None:
        _atomic_write(self.meta / "complete", b"")

    def is_complete(self) -> bool:
        return (self.meta / "complete").is_file()

    def unmark_complete(self) -> None:
        (self.meta / "complete").unlink(missing_ok=True)


def warn_damaged(path: Path, damaged: Mapping[int, str], action: str) -> None:
    """One warning naming the damaged chunks and why (the first few)."""
    shown = "; ".join(f"chunk {k}: {why}" for k, why in list(damaged.items())[:5])
    more = f"; and {len(damaged) - 5} more" if len(damaged) > 5 else ""
    warnings.warn(
        f"{path}: {len(damaged)} finished chunk(s) are damaged ({shown}{more}); {action}",
        DamagedChunksWarning,
        stacklevel=3,
    )
