#!/usr/bin/env bash
# Does what the Dockerfile does, without Docker (base images can't be pulled here):
# a clean copy of the committed tree, build stage (all deps, tsc), runtime stage
# (npm ci --omit=dev, no dev dependency), then kkr --help, ingest, ask and serve
# (console) run from the runtime folder alone.
#   bash scripts/check-production-install.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kkr-prod-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build" "$work/app" "$work/docs"
git -C "$root" archive HEAD | tar -x -C "$work/build"

echo "== build stage: npm ci + tsc"
(cd "$work/build" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npx tsc -p tsconfig.build.json && node scripts/build-dictionary.mjs)

echo "== runtime stage: npm ci --omit=dev"
cp "$work/build/package.json" "$work/build/package-lock.json" "$work/app/"
(cd "$work/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
  && rm -rf node_modules/@huggingface node_modules/onnxruntime-node node_modules/onnxruntime-web node_modules/onnxruntime-common)
cp -r "$work/build/dist" "$root/bin" "$root/prompts" "$root/manifest.json" "$work/app/"
for dev in typescript tsx @biomejs/biome pdfkit azurite s3rver; do
  if [ -e "$work/app/node_modules/$dev" ]; then echo "dev dependency $dev is installed"; exit 1; fi
done
echo "node_modules: $(du -sh "$work/app/node_modules" | cut -f1)"

cd "$work/app"
printf '# Nyhedsbrev fra KKR Sjælland juni 2025\n\n## Beskæftigelse\n\nKommunerne i Sjælland vil skaffe 500 flere lærepladser inden 2027.\n' \
  > "$work/docs/nyhedsbrev-kkr-sjaelland-2025-06.md"
export KKR_LOG_LEVEL=warn KKR_DB="$work/data/lancedb" KKR_DOCS_DIR="$work/docs" OPENAI_API_KEY= OPENAI_BASE_URL=
node bin/kkr.js --help | grep -q "serve"
node bin/kkr.js ingest "$work/docs" --json | grep -q '"documents": 1'
node bin/kkr.js ask "Hvor mange lærepladser vil kommunerne skaffe?" | grep -q "500 flere lærepladser"
echo "Hvor mange lærepladser vil kommunerne skaffe?" | node bin/kkr.js serve | grep -q "500 flere lærepladser"
echo "OK: --help, ingest, ask and serve (console) ran from a production install"
