# kkr-bot container: see README "Deploy".
#   docker build -t kkr-bot .
#   docker run --env-file .env -v kkr-data:/data -v ./documents:/documents:ro kkr-bot

# ---- build: all dependencies, compile TypeScript to dist/ ----------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (tsc) runs below once the sources are here
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY ingest ./ingest
COPY scripts/build-dictionary.mjs ./scripts/
# the Danish dictionary compiled to sorted word lists (fast cold start, see src/text/danish-dictionary.ts)
RUN npx tsc -p tsconfig.build.json && node scripts/build-dictionary.mjs

# ---- runtime: production dependencies only, non-root ---------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    KKR_DB=/data/lancedb \
    KKR_DOCS_DIR=/documents \
    KKR_LOG_FORMAT=json \
    PORT=3000 \
    HEALTH_PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
# No install script of a production dependency is needed (LanceDB's native binary is a
# platform package). LanceDB's optional @huggingface/transformers pulls onnxruntime
# (~310 MB) for embedding functions kkr never uses: measured ~690 MB → 384 MB without.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@huggingface node_modules/onnxruntime-node node_modules/onnxruntime-web node_modules/onnxruntime-common \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY prompts ./prompts
COPY manifest.json ./
RUN mkdir -p /data /documents && chown -R node:node /data /documents
USER node
VOLUME ["/data", "/documents"]
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "bin/healthcheck.js"]
CMD ["node", "bin/kkr.js", "serve"]
