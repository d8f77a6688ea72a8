"""A real HTTP receiver on loopback, in a thread: it records every request and answers as the
test says (a status per call, a delay, a refusal to answer at all)."""

import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from standardwebhooks import Webhook


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    """`answer(n)` gives (status, delay seconds, body) for the n-th request (from 0)."""

    answer: Callable[[int], tuple[int, float, bytes]] = lambda n: (200, 0.0, b"ok")
    received: list[Received] = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/scrm?tenant=acme"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    n = len(receiver.received)
                    receiver.received.append(
                        Received(
                            method=self.command,
                            path=self.path,
                            headers={k.lower(): v for k, v in self.headers.items()},
                            body=body,
                        )
                    )
                status, delay, answer = receiver.answer(n)
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_PUT = do_PATCH = do_DELETE = do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening: calls are refused until `start` again (on the same port)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def verified(self, secret: str) -> list[dict]:
        """Every request's body, each verified as a receiver would, with `standardwebhooks`."""
        return [Webhook(secret).verify(r.body, r.headers) for r in self.received]


def serve(answer=None) -> Receiver:
    receiver = Receiver() if answer is None else Receiver(answer=answer)
    return receiver.start()
