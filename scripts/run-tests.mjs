#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner (Node 20 neither expands globs
// nor finds .ts files itself) and fails when no test ran, so an empty run can't pass.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filter = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

let files = walk(join(root, "test")).sort();
if (filter.length > 0) files = files.filter((f) => filter.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error("run-tests: no test files found under test/ (expected *.test.ts)");
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), "kkr-tests-"));
const tap = join(tmp, "report.tap");
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-concurrency=2",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    ...files.map((f) => relative(root, f)),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, KKR_LOG_LEVEL: process.env.KKR_LOG_LEVEL ?? "silent" },
  },
);

let report = "";
try {
  report = readFileSync(tap, "utf8");
} catch {
  // the runner died before writing its report; the exit code below says so
}
rmSync(tmp, { recursive: true, force: true });
const count = (name) =>
  Number(
    /^# (\w+) (\d+)$/m.test(report) ? (report.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? 0) : 0,
  );
const tests = count("tests");
const passed = count("pass");
const failed = count("fail") + count("cancelled");
const skipped = count("skipped") + count("todo");
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (tests === 0) {
  console.error("run-tests: zero tests ran; failing on purpose");
  process.exit(1);
}
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
