"""Captures the body the official Python clients send for one event, on a
loopback server; prints it as sent (gunzipped if it was gzipped)."""
import datetime, gzip, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

bodies = []

class H(BaseHTTPRequestHandler):
    def do_POST(self):
        b = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.headers.get("content-encoding") == "gzip":
            b = gzip.decompress(b)
        bodies.append(b)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status":1}')

    def log_message(self, *a):
        pass

srv = HTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
host = f"http://127.0.0.1:{srv.server_address[1]}"
ts = datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc)
ID = "00000000-0000-4000-8000-000000000000"
SESSION = "018bd0a1-2b3b-7000-8000-00000000000a"
MESSAGE = "01234567-89ab-4def-8123-000000000000"
props = {"command": "build", "duration_ms": 1234}
if sys.argv[1] == "posthog":
    from posthog import Posthog
    p = Posthog("phc_key", host=host, sync_mode=True)
    p.capture("command_run", distinct_id=ID, timestamp=ts, uuid=MESSAGE,
              properties={**props, "$session_id": SESSION, "$process_person_profile": False})
else:
    import segment.analytics as analytics
    c = analytics.Client("wk", host=host, sync_mode=True)
    c.track(anonymous_id=ID, event="command_run", properties=props, timestamp=ts, message_id=MESSAGE)
sys.stdout.buffer.write(bodies[0])
