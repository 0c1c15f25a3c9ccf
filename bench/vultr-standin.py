#!/usr/bin/env python3
"""A stateful stand-in for Vultr API v2's firewall endpoints, for bench/init-vs-script.sh.

Serves on 127.0.0.1:PORT (argv[1], 0 = any free port; the chosen port is printed on stdout as
the first line). One group is created at start with the description argv[2]; its id is printed
as the second line. Accepts only `Authorization: Bearer <argv[3]>`. Pages of at most 100 items.
Loopback only; nothing is persisted.
"""
import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, DESCRIPTION, KEY = int(sys.argv[1]), sys.argv[2], sys.argv[3]
LOCK = threading.Lock()
GROUPS = {}
NEXT = [1]


def group_json(gid):
    return {"id": gid, "description": GROUPS[gid]["description"],
            "date_created": "2025-01-01T00:00:00+00:00",
            "date_modified": "2025-01-01T00:00:00+00:00", "instance_count": 1,
            "rule_count": len(GROUPS[gid]["rules"]), "max_rule_count": 50}


def page(items, field):
    return {field: items, "meta": {"total": len(items), "links": {"next": "", "prev": ""}}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server writes the headers and the body separately: with Nagle's algorithm on, a
    # client that keeps the connection alive waits for a delayed ACK (~40 ms) at every answer,
    # which the real API's servers do not make it do.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self, method):
        if self.headers.get("Authorization") != "Bearer " + KEY:
            return self.send(401, {"error": "Invalid API token.", "status": 401})
        parts = self.path.split("?")[0].strip("/").split("/")
        with LOCK:
            if parts == ["v2", "firewalls"] and method == "GET":
                return self.send(200, page([group_json(g) for g in GROUPS], "firewall_groups"))
            if len(parts) >= 3 and parts[:2] == ["v2", "firewalls"] and parts[2] in GROUPS:
                g = GROUPS[parts[2]]
                if len(parts) == 3 and method == "GET":
                    return self.send(200, {"firewall_group": group_json(parts[2])})
                if len(parts) == 4 and parts[3] == "rules":
                    if method == "GET":
                        return self.send(200, page(g["rules"], "firewall_rules"))
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                    rule = {"id": NEXT[0], "type": body.get("ip_type"), "ip_type": body.get("ip_type"),
                            "action": "accept", "protocol": body.get("protocol"),
                            "port": body.get("port", ""), "subnet": body.get("subnet"),
                            "subnet_size": body.get("subnet_size"), "source": body.get("source", ""),
                            "notes": body.get("notes", "")}
                    NEXT[0] += 1
                    g["rules"].append(rule)
                    return self.send(201, {"firewall_rule": rule})
                if len(parts) == 5 and parts[3] == "rules":
                    match = [r for r in g["rules"] if str(r["id"]) == parts[4]]
                    if not match:
                        return self.send(404, {"error": "Firewall rule not found.", "status": 404})
                    if method == "DELETE":
                        g["rules"].remove(match[0])
                        return self.send(204)
                    return self.send(200, {"firewall_rule": match[0]})
        return self.send(404, {"error": "Not found", "status": 404})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")


gid = str(uuid.uuid4())
GROUPS[gid] = {"description": DESCRIPTION, "rules": []}
server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(server.server_address[1], flush=True)
print(gid, flush=True)
server.serve_forever()
