#!/usr/bin/env node
// The registry mirror this project is built against serves only some platforms' native
// packages, so `npm install` leaves the other platforms' optional binaries (Biome, LanceDB)
// out of package-lock.json and `npm ci` then refuses the lock. This adds the entries a full
// registry would have written: name, version, os/cpu (so npm skips them on other
// platforms) and optional. Run it after `npm install` changes the lock.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
let added = 0;

function platformOf(name) {
  const tail = name.split("/").pop();
  const os = ["darwin", "linux", "win32", "android", "freebsd"].find((o) => tail.includes(o));
  const cpu = ["arm64", "x64", "ia32", "arm"].find((c) => tail.includes(`-${c}`));
  const libc = tail.includes("musl") ? "musl" : tail.includes("gnu") ? "glibc" : undefined;
  return { os, cpu, libc };
}

for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = key === "" ? "node_modules" : `${key}/node_modules`;
    const candidates = [`${base}/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os || !cpu) continue; // not a platform binary: leave it to npm
    packages[`node_modules/${dep}`] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      license: entry.license ?? "UNLICENSED",
      optional: true,
      os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
