#!/usr/bin/env node
// The container's HEALTHCHECK (node:20-slim has no curl): liveness on HEALTH_PORT
// (Socket Mode, console) or PORT (HTTP mode, beside /slack/events). Exit 0 when either answers.
const ports = [process.env.HEALTH_PORT, process.env.PORT].filter(Boolean);
const path = process.argv[2] ?? "/healthz";
for (const port of ports) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
    if (res.ok) process.exit(0);
  } catch {
    // not listening on this one
  }
}
process.exit(1);
