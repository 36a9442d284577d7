#!/usr/bin/env node
// The installed entry point runs the compiled CLI (fast cold start); `npm ci` builds it.
import { existsSync } from "node:fs";

const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("kkr: the CLI is not built yet. Run `npm run build` (npm ci runs it too).\n");
  process.exit(1);
}
await import(main.href);
