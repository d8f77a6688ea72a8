"""The periodic work of `CELERY_BEAT_SCHEDULE` when there is no broker and no beat.

With Celery eager (no `REDIS_URL`: `make run`, the embedded default) nobody runs beat, so the
sweeper would never return an expired lease to the queue nor re-enqueue a mention whose
processing was missed. Under `manage.py runserver` only, a daemon thread of the development
server runs each scheduled task at its interval, in-process (eager). Never in tests, never with
a broker (then `celery beat` runs the same schedule), never under gunicorn.
"""

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

logger = logging.getLogger(__name__)

_started = threading.Event()


def eager_beat_wanted(*, argv: Sequence[str], environ: Mapping[str, str], settings) -> bool:
    """Whether this process is the development server of an eager (broker-less) setup."""
    if not settings.CELERY_TASK_ALWAYS_EAGER or settings.SCRM_ENV == "test":
        return False
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    # The autoreloader serves from a child process (RUN_MAIN=true); its parent only watches.
    return "--noreload" in argv or environ.get("RUN_MAIN") == "true"


def _is_interval(schedule) -> bool:
    """A crontab (the weekly digest) is a time of day, not an interval: the development
    server leaves it to a real `celery beat`."""
    return isinstance(schedule, timedelta | int | float) or hasattr(schedule, "run_every")


def _seconds(schedule) -> float:
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    return float(schedule.run_every.total_seconds())  # a celery.schedules.schedule


def _run_task(name: str) -> None:
    from django.db import close_old_connections, connection

    from scrm.celery import app

    try:
        app.loader.import_default_modules()  # autodiscovery is lazy: import the apps' tasks
        app.tasks[name].apply(throw=True)
    except Exception:
        logger.exception("periodic task %s failed; it runs again at its next interval", name)
    finally:
        if not connection.in_atomic_block:  # a thread's own connection; never a caller's
            close_old_connections()


class EagerBeat:
    """Runs each entry of a beat schedule every `schedule` seconds, the first time one interval
    after start (the server has just started: there is nothing to sweep yet)."""

    def __init__(
        self,
        schedule: Mapping[str, Mapping],
        *,
        clock: Callable[[], float] = time.monotonic,
        run: Callable[[str], None] = _run_task,
    ):
        self.clock = clock
        self.run = run
        start = clock()
        self.intervals = {
            entry["task"]: _seconds(entry["schedule"])
            for entry in schedule.values()
            if _is_interval(entry["schedule"])
        }
        self.next_due = {task: start + every for task, every in self.intervals.items()}

    def tick(self) -> float:
        """Run every task that is due; return the seconds until the next one is."""
        now = self.clock()
        for task, due in sorted(self.next_due.items(), key=lambda item: item[1]):
            if due <= now:
                self.run(task)
                self.next_due[task] = now + self.intervals[task]
        return max(0.0, min(self.next_due.values(), default=60.0) - self.clock())

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            stop.wait(min(self.tick(), 60.0))


def eager_beat_start(schedule: Mapping[str, Mapping]) -> threading.Thread | None:
    """Start the beat thread once per process; returns it (None if it was already started)."""
    if _started.is_set() or not schedule:
        return None
    _started.set()
    beat = EagerBeat(schedule)
    thread = threading.Thread(
        target=beat.run_forever, args=(threading.Event(),), name="scrm-eager-beat", daemon=True
    )
    thread.start()
    logger.info("Celery is eager: running %s in the server process", ", ".join(beat.intervals))
    return thread
