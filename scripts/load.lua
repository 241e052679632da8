-- wrk script of the load run (scripts/load_run.py sets the environment): the signed-in
-- session's cookie, the proxy's headers, and for a POST its form and CSRF headers. At the end,
-- one line of JSON: requests, duration, latency percentiles (ms) and errors.
wrk.method = os.getenv("LOAD_METHOD") or "GET"
wrk.headers["Cookie"] = os.getenv("LOAD_COOKIE") or ""
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["X-Forwarded-For"] = "192.0.2.20"
if wrk.method == "POST" then
  wrk.body = os.getenv("LOAD_BODY")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Origin"] = os.getenv("LOAD_ORIGIN")
  wrk.headers["Referer"] = os.getenv("LOAD_REFERER")
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.1f, "p95": %.1f, "p99": %.1f, "max": %.1f, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
