"""A loopback HTTP server that answers every request slowly: its headers at once, then its body one
byte every ``every`` seconds (a slow-loris answer: each read gets a byte in time, the whole never
ends in time). Plain threads and sockets, so the bytes leave exactly when the test says."""

from __future__ import annotations

import socket
import threading


class TrickleServer:
    def __init__(self, body: bytes = b"<p>" + b"x" * 200 + b"</p>", every: float = 0.5) -> None:
        self.body = body
        self.every = every
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="trickle-server", daemon=True)

    def url(self, path: str = "/slow") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> TrickleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(5)

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                head = (
                    f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(self.body)}\r\n\r\n"
                )
                conn.sendall(head.encode())
                for i in range(len(self.body)):
                    if self._stop.wait(self.every):
                        return
                    conn.sendall(self.body[i : i + 1])
            except OSError:
                return
