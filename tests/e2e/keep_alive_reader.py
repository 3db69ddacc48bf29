"""Reads URLs over keep-alive connections until a file named `stop` exists.

siege 4.0.7 (Debian's) keeps sending on a connection after the server
answered `Connection: close` and counts the reset as a failed transaction
(JoeDog/siege pull request 252), so the hand-over test drives keep-alive
connections with this client instead: it reuses each connection until the
server says close, as RFC 9112 section 9.6 requires, and counts every
request that gets no answer or an answer other than 200.

Usage: keep_alive_reader.py CONNECTIONS URL...
Prints one line, "requests=N closes=N failures=N", and exits 1 on a failure.
It gives up after ten minutes, should the test that started it have died.
"""
import http.client
import os
import sys
import threading
import time
import urllib.parse

LONGEST_RUN_SECONDS = 600


def main():
    connections = int(sys.argv[1])
    urls = [urllib.parse.urlsplit(url) for url in sys.argv[2:]]
    counts = {"requests": 0, "closes": 0, "failures": 0}
    failures = []
    lock = threading.Lock()

    give_up_at = time.monotonic() + LONGEST_RUN_SECONDS

    def reader(offset):
        connection = None
        n = offset
        while not os.path.exists("stop") and time.monotonic() < give_up_at:
            url = urls[n % len(urls)]
            n += 1
            target = url.path + ("?" + url.query if url.query else "")
            closed = False
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                problem = f"{response.status} for {target}"
                closed = response.getheader("Connection", "").lower() == "close"
            except (OSError, http.client.HTTPException) as error:
                ok, problem, closed = False, f"{type(error).__name__}: {error} for {target}", True
            if closed and connection is not None:
                connection.close()
                connection = None
            with lock:
                counts["requests"] += 1
                counts["closes"] += closed
                if not ok:
                    counts["failures"] += 1
                    failures.append(problem)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(" ".join(f"{name}={value}" for name, value in counts.items()))
    for problem in failures[:10]:
        print(problem, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
