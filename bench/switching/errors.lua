-- wrk script: print one summary line with every kind of failure (wrk never retries).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d failed=%d (connect=%d read=%d write=%d timeout=%d non2xx3xx=%d)\n",
    summary.requests, e.connect + e.read + e.write + e.timeout + e.status,
    e.connect, e.read, e.write, e.timeout, e.status))
end
