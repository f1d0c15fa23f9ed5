"""What keeps the explorer's server answering: deadlines, request checks, rate limits.

- `deadline`: a time budget for the work of one callback. When it runs out, the thread
  doing the work gets `DeadlineExceeded` (raised asynchronously at its next Python
  bytecode), so that a runaway computation stops instead of tying the server thread;
  the callback then shows "took too long — try ...". Work inside one native call
  (e.g. a flint resultant) is stopped when that call returns; such calls are bounded
  before they start by the analysis layer.
- `guard_callbacks`: malformed requests to ``/_dash-update-component`` (not JSON, an
  unknown callback, lists of the wrong shape, arguments of the wrong type) are answered
  with 400 and a JSON body naming the problem, never with a 500; bodies larger than
  the limit get 413.
- `RateLimiter`: at most N events per sliding window (the export button).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

__all__ = [
    "BadCallbackRequest",
    "DeadlineExceeded",
    "ExplorerLimits",
    "RateLimiter",
    "callback_body",
    "deadline",
    "expect_list",
    "expect_model_name",
    "expect_number_map",
    "expect_panel_texts",
    "expect_starts",
    "expect_text",
    "guard_callbacks",
]

UPDATE_ROUTE = "_dash-update-component"


@dataclasses.dataclass(frozen=True)
class ExplorerLimits:
    """Budgets of the explorer's server.

    Attributes
    ----------
    deadline_seconds : float
        Wall-clock budget of the work of one callback (portrait, bifurcation diagram,
        stress response, export); past it the page says "took too long — try ...".
    exports_per_minute : int
        Exports accepted per sliding minute by one server (each writes files).
    max_request_bytes : int
        Largest callback request body (413 above).
    max_pulse_time : float
        Largest stress-pulse start, duration and intervention start typed in the page.
    max_model_chars : int
        Characters of a model typed in the equations panel (its three fields together);
        longer text is refused with a message before it is read, and the address never
        holds more.
    parse_seconds : float
        Wall-clock budget for reading a typed model and building it (parsing, the
        symbolic Jacobian); past it the panel says "took too long".
    """

    deadline_seconds: float = 20.0
    exports_per_minute: int = 10
    max_request_bytes: int = 1_000_000
    max_pulse_time: float = 1000.0
    max_model_chars: int = 8000
    parse_seconds: float = 5.0

    def __post_init__(self) -> None:
        from dyadmodel.errors import InvalidInputError

        for name in ("deadline_seconds", "max_pulse_time", "parse_seconds"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise InvalidInputError(f"ExplorerLimits.{name} = {v!r}; expected a number > 0")
        for name in ("exports_per_minute", "max_request_bytes", "max_model_chars"):
            v = getattr(self, name)
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
                raise InvalidInputError(f"ExplorerLimits.{name} = {v!r}; expected an integer >= 1")


# ---------------------------------------------------------------------------------------
# deadlines


class DeadlineExceeded(BaseException):
    """The time budget of a callback ran out (a `BaseException`, so that ``except
    Exception`` blocks in the work it interrupts do not swallow it)."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    """Deliver ``exc`` to the thread at its next bytecode (None withdraws a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise `DeadlineExceeded` in this thread if the block runs longer than ``seconds``.

    A timer thread delivers the exception at the block's next Python bytecode. The
    block's end and the timer are serialised by a lock: once the block has ended, the
    timer no longer fires, and an exception delivered but not yet raised is withdrawn.
    """
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, DeadlineExceeded)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                _set_async_exc(target, None)  # withdraw it if it has not been raised yet


def run_with_deadline(seconds: float, work: Callable[[], Any]) -> Any:
    """``work()`` under `deadline`; raises `DeadlineExceeded` when it ran out."""
    with deadline(seconds):
        return work()


# ---------------------------------------------------------------------------------------
# rate limit


class RateLimiter:
    """At most ``limit`` events in any ``window`` seconds (thread-safe)."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self.limit, self.window, self._clock = int(limit), float(window), clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Record an event; returns 0 when allowed, else the seconds until one is."""
        with self._lock:
            now = self._clock()
            while self._times and now - self._times[0] >= self.window:
                self._times.popleft()
            if len(self._times) >= self.limit:
                return self.window - (now - self._times[0])
            self._times.append(now)
            return 0.0


# ---------------------------------------------------------------------------------------
# malformed requests


class BadCallbackRequest(Exception):
    """A callback request the explorer cannot use: answered with 400 and the message."""


_local = threading.local()


def callback_body(func: Callable) -> Callable:
    """Mark ``func`` as a callback of the app: an exception that escapes it is a bug of
    the app (500, with its traceback in the log), unless it is `BadCallbackRequest`;
    one raised by Dash before or after it, on the request's data, is a malformed
    request (400)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BadCallbackRequest:
            raise
        except BaseException as err:
            if type(err).__name__ != "PreventUpdate":
                _local.raised_inside = True
            raise

    return wrapper


def _bad(message: str):
    from flask import jsonify

    response = jsonify({"error": "bad callback request", "message": message})
    response.status_code = 400
    return response


def _check_items(value: Any, declared: Sequence[Any], what: str) -> None:
    """``value`` is a list matching the declared dependencies: a dict with ``id`` and
    ``property`` for each plain one, a list of such dicts for each wildcard one."""
    if not isinstance(value, list):
        raise BadCallbackRequest(f"{what}: expected a list, got {type(value).__name__}")
    if len(value) != len(declared):
        raise BadCallbackRequest(f"{what}: expected {len(declared)} entries, got {len(value)}")
    for k, (item, dep) in enumerate(zip(value, declared)):
        wildcard = isinstance(dep.get("id"), str) and dep["id"].startswith("{")
        entries = item if wildcard else [item]
        if wildcard and not isinstance(item, list):
            raise BadCallbackRequest(f"{what}[{k}]: expected a list for a pattern-matching id")
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
                raise BadCallbackRequest(
                    f"{what}[{k}]: expected {{'id': ..., 'property': ..., 'value': ...}}"
                )
            if not isinstance(entry.get("id"), (str, dict)):
                raise BadCallbackRequest(f"{what}[{k}]: the id must be a string or an object")


def check_update_request(body: Any, callback_map: Mapping[str, Any]) -> None:
    """Raise `BadCallbackRequest` unless ``body`` has the shape Dash's renderer sends
    for a registered callback."""
    if not isinstance(body, dict):
        raise BadCallbackRequest(f"expected a JSON object, got {type(body).__name__}")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadCallbackRequest(f"unknown callback output {str(output)[:200]!r}")
    cb = callback_map[output]
    _check_items(body.get("inputs"), cb.get("inputs", []), "inputs")
    _check_items(body.get("state", []), cb.get("state", []), "state")
    outputs = body.get("outputs")
    n_out = len(_split_outputs(output))
    if n_out == 1 and isinstance(outputs, dict):
        outputs = [outputs]
    if not isinstance(outputs, list) or len(outputs) != n_out:
        raise BadCallbackRequest(f"outputs: expected {n_out} entries")
    for k, entry in enumerate(outputs):
        for e in entry if isinstance(entry, list) else [entry]:
            if not isinstance(e, dict) or not isinstance(e.get("property"), str):
                raise BadCallbackRequest(f"outputs[{k}]: expected {{'id': ..., 'property': ...}}")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("changedPropIds: expected a list of strings")


def _split_outputs(output: str) -> list[str]:
    if output.startswith("..") and output.endswith(".."):
        return output[2:-2].split("...")
    return [output]


def guard_callbacks(app: Any, limits: ExplorerLimits) -> None:
    """Answer malformed callback requests with 400 (413 for an oversized body)."""
    from flask import request

    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = limits.max_request_bytes
    endpoint = app.config.routes_pathname_prefix + UPDATE_ROUTE
    dispatch = server.view_functions[endpoint]

    @functools.wraps(dispatch)
    def guarded(*args, **kwargs):
        body = request.get_json(silent=True)
        if body is None:
            return _bad("the body is not JSON")
        try:
            check_update_request(body, app.callback_map)
        except BadCallbackRequest as err:
            return _bad(str(err))
        _local.raised_inside = False
        try:
            return dispatch(*args, **kwargs)
        except BadCallbackRequest as err:
            return _bad(str(err))
        except Exception as err:
            if type(err).__name__ == "PreventUpdate":
                return "", 204  # what Dash answers to a callback that updates nothing
            if getattr(_local, "raised_inside", False):
                raise  # a bug of the app: 500 with the traceback in the log
            return _bad(f"the request's data do not fit the callback ({type(err).__name__})")

    server.view_functions[endpoint] = guarded


# ---------------------------------------------------------------------------------------
# argument checks (raise BadCallbackRequest: a browser running the page never sends these)


def expect_model_name(value: Any) -> str:
    import dyadmodel as dm

    if not isinstance(value, str) or value not in dm.models.names():
        raise BadCallbackRequest(f"model {str(value)[:100]!r}: expected a registered model name")
    return value


def expect_text(value: Any, what: str, *, none: bool = True, max_chars: int = 1000) -> Any:
    """A text box or dropdown value: a string (at most ``max_chars``), a number, or None."""
    ok = (isinstance(value, (str, int, float)) and not isinstance(value, bool)) or (
        none and value is None
    )
    if not ok or (isinstance(value, str) and len(value) > max_chars):
        raise BadCallbackRequest(f"{what}: expected a short text or a number")
    return value


def expect_panel_texts(value: Any, max_chars: int) -> dict[str, str] | None:
    """The equations panel's texts as stored by the page: None, or an object with the
    string fields 'equations', 'parameters', 'ranges' (at most ``max_chars`` together)."""
    if value is None:
        return None
    fields = ("equations", "parameters", "ranges")
    if (
        not isinstance(value, dict)
        or set(value) - set(fields)
        or not all(isinstance(value.get(f, ""), str) for f in fields)
    ):
        raise BadCallbackRequest("model text: expected an object of the panel's three texts")
    if sum(len(value.get(f, "")) for f in fields) > max_chars:
        raise BadCallbackRequest(f"model text: more than {max_chars} characters")
    return {f: value.get(f, "") for f in fields}


def expect_list(value: Any, what: str, item: type | tuple[type, ...] = object) -> list:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, item) for v in value):
        raise BadCallbackRequest(f"{what}: expected a list")
    return value


def expect_number_map(value: Any, what: str) -> dict[str, float]:
    """A stored parameter set: an object of names to numbers (the model checks the rest)."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        raise BadCallbackRequest(f"{what}: expected an object of parameter names to numbers")
    return value


def expect_starts(value: Any, n_states: int) -> list[list[float]]:
    """Trajectory starts: lists of ``n_states`` finite numbers."""
    starts = expect_list(value, "trajectory starts", list)
    for s in starts:
        if len(s) != n_states or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in s
        ):
            raise BadCallbackRequest(
                f"trajectory start {str(s)[:100]}: expected {n_states} finite numbers"
            )
    return starts
