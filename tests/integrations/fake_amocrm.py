"""amoCRM API v4 on loopback: contacts (arrays in, `_embedded` out, 204 for nothing found),
notes, OAuth refresh of an expired access token."""

import http.server
import json
import threading
from urllib.parse import parse_qs, urlsplit


class FakeAmoCRM:
    def __init__(self):
        self.requests: list[tuple[str, str, dict, object]] = []
        self.access_token = "access-1"
        self.refresh_token = "refresh-1"
        self.contacts: dict[int, dict] = {}
        self.notes: dict[int, dict] = {}
        self.next_id = 9000

    def calls(self, method: str, path: str) -> list:
        return [b for m, p, _, b in self.requests if m == method and p == path]

    def _handle(self, method, url, headers, body):
        parts = urlsplit(url)
        path = parts.path
        if method == "POST" and path == "/oauth2/access_token":
            if body.get("refresh_token") != self.refresh_token:
                return 400, {"hint": "Token has been revoked"}
            self.access_token, self.refresh_token = "access-2", "refresh-2"
            return 200, {
                "token_type": "Bearer",
                "expires_in": 86400,
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
            }
        if headers.get("authorization") != f"Bearer {self.access_token}":
            return 401, {"title": "Unauthorized", "status": 401, "detail": "Token expired"}
        if method == "GET" and path == "/api/v4/contacts":
            query = parse_qs(parts.query).get("query", [""])[0]
            found = [
                {"id": cid, "name": c["name"]}
                for cid, c in self.contacts.items()
                if query in c.get("_search", "")
            ]
            return (200, {"_embedded": {"contacts": found[:1]}}) if found else (204, None)
        if method == "GET" and path.startswith("/api/v4/contacts/"):
            cid = int(path.rsplit("/", 1)[1])
            return (200, {"id": cid, **self.contacts[cid]}) if cid in self.contacts else (204, None)
        if method == "POST" and path == "/api/v4/contacts":
            out = []
            for contact in body:
                self.next_id += 1
                self.contacts[self.next_id] = {**contact, "_search": ""}
                out.append({"id": self.next_id, "request_id": contact.get("request_id")})
            return 200, {"_embedded": {"contacts": out}}
        if method == "POST" and path == "/api/v4/contacts/notes":
            out = []
            for note in body:
                if note["entity_id"] not in self.contacts:
                    return 400, {"title": "Bad Request", "detail": "Entity not found"}
                self.next_id += 1
                self.notes[self.next_id] = note
                self.contacts[note["entity_id"]]["_search"] += note["params"]["text"]
                out.append({"id": self.next_id, "entity_id": note["entity_id"]})
            return 200, {"_embedded": {"notes": out}}
        if method == "PATCH" and path == "/api/v4/contacts":
            for change in body:
                contact = self.contacts.get(change["id"])
                if contact is not None:
                    contact.update(name=change["name"], _search="")
            return 200, {"_embedded": {"contacts": [{"id": c["id"]} for c in body]}}
        return 404, {"title": "Not Found", "detail": "Unknown route"}

    def start(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw) if raw else None
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append((self.command, self.path, headers, body))
                status, answer = fake._handle(self.command, self.path, headers, body)
                data = b"" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/hal+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _any

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
