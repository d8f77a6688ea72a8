"""A Bitrix24 portal on loopback that plays the REST methods the connector calls, as the
documentation gives them, and records every request."""

import http.server
import json
import threading


class FakeBitrix24:
    def __init__(self):
        self.requests: list[tuple[str, str, dict, dict]] = []  # method, path, headers, body
        self.contacts: dict[int, dict] = {}
        self.comments: dict[int, dict] = {}
        self.next_id = 100
        self.busy = 0  # answer this many calls with 503 QUERY_LIMIT_EXCEEDED
        self.fail_5xx = 0
        self.lock = threading.Lock()
        self.server = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/rest/1/s3cr3tcode/"

    def calls(self, method_name: str) -> list[dict]:
        return [b for _, p, _, b in self.requests if p.endswith(f"/{method_name}.json")]

    def _handle(self, path: str, body: dict) -> tuple[int, dict]:
        if self.busy:
            self.busy -= 1
            return 503, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
        if self.fail_5xx:
            self.fail_5xx -= 1
            return 500, {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal error"}
        if not path.startswith("/rest/1/s3cr3tcode/"):
            return 401, {"error": "INVALID_CREDENTIALS", "error_description": "Invalid request"}
        method = path.rsplit("/", 1)[1].removesuffix(".json")
        if method == "crm.contact.list":
            wanted = body.get("filter", {})
            found = []
            for cid, fields in self.contacts.items():
                if "ID" in wanted and str(cid) != str(wanted["ID"]):
                    continue
                if "WEB" in wanted and wanted["WEB"] not in [
                    w["VALUE"] for w in fields.get("WEB", [])
                ]:
                    continue
                if "IM" in wanted and wanted["IM"] not in [
                    w["VALUE"] for w in fields.get("IM", [])
                ]:
                    continue
                found.append({"ID": str(cid)})
            return 200, {"result": found, "total": len(found)}
        if method == "crm.contact.add":
            self.next_id += 1
            self.contacts[self.next_id] = body["fields"]
            return 200, {"result": self.next_id}
        if method == "crm.timeline.comment.add":
            fields = body["fields"]
            if fields["ENTITY_ID"] not in self.contacts:
                return 400, {"error": "", "error_description": "Not found"}
            self.next_id += 1
            self.comments[self.next_id] = fields
            return 200, {"result": self.next_id}
        if method == "crm.contact.delete":
            if self.contacts.pop(body["id"], None) is None:
                return 400, {"error": "", "error_description": "Not found"}
            return 200, {"result": True}
        return 400, {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found"}

    def start(self) -> "FakeBitrix24":
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                body = json.loads(raw or b"{}")
                with fake.lock:
                    fake.requests.append(
                        (
                            self.command,
                            self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                    status, answer = fake._handle(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

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
