"""A small OpenAI-compatible HTTP server for tests: scripted chat replies, recorded requests.

The real openai client (through langchain-openai) talks to it over HTTP on 127.0.0.1, so the
LLM engine is tested end to end without monkeypatching our own code or the client.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class OpenAIMock:
    """``with OpenAIMock(["reply 1", "reply 2"]) as mock:`` then point OPENAI_BASE_URL at mock.base_url.

    A reply is the assistant's text, or a dict ``{"tool_calls": [{"name": ..., "arguments": {...}}]}``
    (arguments as a dict or a JSON string; optional "content") for a tool-calling answer.
    A misbehaving model: ``{"stall": seconds}`` accepts the request and sends nothing for that long
    (or until the mock is closed), then the reply in "then" if there is one; ``{"content_chars": n}`` answers with n characters of text;
    ``{"trickle": seconds}`` sends the headers, then one byte of the body every 0.2 s for that long.
    """

    def __init__(self, replies: list[str | dict] | None = None) -> None:
        self.replies = list(replies or [])
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> OpenAIMock:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._closing.set()  # stalled handlers give up
        self._server.shutdown()
        self._server.server_close()

    def messages(self, index: int) -> list[dict]:
        """The chat messages of the ``index``-th recorded request."""
        return self.requests[index]["messages"]

    def _next_reply(self, body: dict) -> str | dict:
        with self._lock:
            self.requests.append(body)
            if not self.replies:
                return "REFUSE: the mock has no reply left"
            return self.replies.pop(0)

    def _handler(self):
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                reply = mock._next_reply(body)
                if isinstance(reply, dict) and "stall" in reply:
                    mock._closing.wait(reply["stall"])
                    reply = reply.get("then", "REFUSE: too late")
                if isinstance(reply, dict) and "content_chars" in reply:
                    reply = "x" * reply["content_chars"]
                if isinstance(reply, dict) and "trickle" in reply:
                    self._trickle(reply["trickle"])
                    return
                message, finish = _assistant_message(reply)
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-{len(mock.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", "mock"),
                        "choices": [
                            {
                                "index": 0,
                                "message": message,
                                "finish_reason": finish,
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _trickle(self, seconds: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                stop = time.monotonic() + seconds
                try:
                    while time.monotonic() < stop and not mock._closing.is_set():
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:  # the client gave up
                    pass

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        return Handler


def _assistant_message(reply: str | dict) -> tuple[dict, str]:
    """(the assistant message, finish_reason) for a scripted reply: text, or tool calls."""
    if isinstance(reply, str):
        return {"role": "assistant", "content": reply}, "stop"
    calls = []
    for number, call in enumerate(reply.get("tool_calls", []), start=1):
        arguments = call.get("arguments", {})
        calls.append(
            {
                "id": call.get("id", f"call_{number}"),
                "type": "function",
                "function": {
                    "name": call["name"],
                    "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
                },
            }
        )
    message = {"role": "assistant", "content": reply.get("content"), "tool_calls": calls}
    return message, "tool_calls" if calls else "stop"
