"""Outgoing HTTP for webhooks and CRM connectors: SSRF-checked, pinned to the checked address,
never following redirects, with connect and read timeouts on every call.

urllib3 connects to the address `ssrf.resolve` checked; the Host header and, for https, the TLS
server name and certificate check use the URL's host name, so TLS works as with a normal call.
"""

import time
from dataclasses import dataclass

import urllib3

from integrations import ssrf

USER_AGENT = "scrm-webhooks/1.0"
BODY_KEEP = 1000  # characters of the response body kept in the log


@dataclass
class Answer:
    status: int | None  # None: no answer (refused, timed out, refused by the guard)
    body: str = ""
    error: str = ""
    duration_ms: int = 0
    headers: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        return (self.headers or {}).get(name.lower())


class Pools:
    """Connection pools of one run, one per checked (scheme, address, port, host): calls to one
    receiver reuse their connections. Not shared between processes."""

    def __init__(self, *, maxsize: int = 1):
        self.maxsize = maxsize
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}

    def get(self, target: ssrf.Target, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, target.address, target.port, target.host)
        pool = self._pools.get(key)
        if pool is None:
            common = {
                "port": target.port,
                "timeout": timeout,
                "maxsize": self.maxsize,
                "retries": False,
            }
            if target.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    target.address,
                    server_hostname=target.host,
                    assert_hostname=target.host,
                    cert_reqs="CERT_REQUIRED",
                    **common,
                )
            else:
                pool = urllib3.HTTPConnectionPool(target.address, **common)
            self._pools[key] = pool
        return pool

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    connect_timeout: float,
    read_timeout: float,
    pools: Pools | None = None,
    method: str = "POST",
) -> Answer:
    """Send one request; never raises for network trouble (the answer says what happened)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = ssrf.resolve(url)
    except ssrf.UnsafeTarget as exc:
        return Answer(status=None, error=f"Refused: {exc}"[:500], duration_ms=elapsed())
    own = pools is None
    pools = pools or Pools()
    timeout = urllib3.Timeout(
        connect=connect_timeout, read=read_timeout, total=connect_timeout + read_timeout
    )
    try:
        pool = pools.get(target, timeout)
        response = pool.urlopen(
            method,
            target.path,
            body=body,
            headers={"Host": target.host_header, "User-Agent": USER_AGENT, **headers},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
            timeout=timeout,
        )
        try:
            raw = response.read(BODY_KEEP * 4 + 1, decode_content=True)
        finally:
            if len(raw) > BODY_KEEP * 4:
                response.close()  # a long body: drop the connection rather than read it all
            else:
                response.release_conn()
        return Answer(
            status=response.status,
            body=raw.decode("utf-8", "replace")[:BODY_KEEP],
            duration_ms=elapsed(),
            headers={k.lower(): v for k, v in response.headers.items()},
        )
    except urllib3.exceptions.HTTPError as exc:
        return Answer(status=None, error=_describe(exc)[:500], duration_ms=elapsed())
    except OSError as exc:
        return Answer(
            status=None, error=f"{type(exc).__name__}: {exc}"[:500], duration_ms=elapsed()
        )
    finally:
        if own:
            pools.close()


def _describe(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError) or "timed out" in str(reason):
        return f"Timed out: {reason}"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return f"Connection failed: {reason}"
    return f"{type(exc).__name__}: {reason}"
