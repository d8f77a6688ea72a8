"""HubSpot's CRM v3 on loopback: contacts, search, notes with associations, a Bearer token."""

import http.server
import json
import threading

TOKEN = "pat-eu1-test-token"


class FakeHubSpot:
    def __init__(self):
        self.requests: list[tuple[str, str, dict, dict | None]] = []
        self.contacts: dict[str, dict] = {}
        self.notes: dict[str, dict] = {}
        self.next_id = 500
        self.throttled = 0  # answer this many calls with 429 and Retry-After: 2

    def calls(self, method: str, path: str) -> list:
        return [b for m, p, _, b in self.requests if m == method and p == path]

    def _handle(self, method, path, headers, body):
        if self.throttled:
            self.throttled -= 1
            return (
                429,
                {"status": "error", "message": "You have reached your secondly limit."},
                {"Retry-After": "2"},
            )
        if headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"status": "error", "message": "Authentication credentials not found."}, {}
        if method == "POST" and path == "/crm/v3/objects/contacts/search":
            [group] = body["filterGroups"]
            [flt] = group["filters"]
            found = [
                {"id": cid, "properties": props}
                for cid, props in self.contacts.items()
                if props.get(flt["propertyName"]) == flt["value"]
            ]
            return 200, {"total": len(found), "results": found[: body.get("limit", 10)]}, {}
        if method == "POST" and path == "/crm/v3/objects/contacts":
            self.next_id += 1
            self.contacts[str(self.next_id)] = body["properties"]
            return 201, {"id": str(self.next_id), "properties": body["properties"]}, {}
        if path.startswith("/crm/v3/objects/contacts/"):
            cid = path.rsplit("/", 1)[1]
            if cid not in self.contacts:
                return 404, {"status": "error", "message": "Object not found."}, {}
            if method == "GET":
                return 200, {"id": cid, "properties": self.contacts[cid]}, {}
            if method == "DELETE":
                del self.contacts[cid]
                return 204, None, {}
        if method == "POST" and path == "/crm/v3/objects/notes":
            target = body["associations"][0]["to"]["id"]
            if target not in self.contacts:
                return 404, {"status": "error", "message": f"Contact {target} not found"}, {}
            self.next_id += 1
            self.notes[str(self.next_id)] = body
            return 201, {"id": str(self.next_id)}, {}
        return 404, {"status": "error", "message": "Unknown route"}, {}

    def start(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw) if raw else None
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append((self.command, self.path, headers, body))
                status, answer, extra = fake._handle(self.command, self.path, headers, body)
                data = b"" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                for k, v in extra.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
