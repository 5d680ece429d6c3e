-- wrk script of run-badge-bench.sh: sends the headers named in the environment and prints
-- one machine-readable line at the end.
--   HEARTH_BENCH_API_KEY  sent as X-API-KEY (the risk badge, as a CRM back-end calls it)
--   HEARTH_BENCH_COOKIE   sent as Cookie (a dashboard page, as a signed-in browser asks it)
local api_key = os.getenv("HEARTH_BENCH_API_KEY")
if api_key ~= nil and api_key ~= "" then
  wrk.headers["X-API-KEY"] = api_key
end
local cookie = os.getenv("HEARTH_BENCH_COOKIE")
if cookie ~= nil and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

-- "wrk-result requests=N duration_us=N rps=N p50_us=N p99_us=N non2xx=N errors=N"
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d rps=%.0f p50_us=%d p99_us=%d non2xx=%d errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status, errors))
end
