# chainwatch: one image for every role (start --role all|worker|scheduler|bot).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# DejaVu Sans for the text of the incident pictures (resvg draws no text without a font, and
# the slim image has none); src/publish/image/render-png.ts loads these files by path.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
# Dependencies first, for layer caching. `npm ci` runs the package's `prepare` script
# (scripts/bundle.mjs), which finds no sources yet in this layer and says so; the bundle is
# built below. esbuild (with tsx) is a runtime dependency for that reason.
COPY package.json package-lock.json ./
COPY scripts/bundle.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY jobs ./jobs
COPY commands ./commands
COPY config ./config
COPY examples ./examples
# The classifier's weights (src/social/classifier imports them; the bundle inlines them).
COPY data/classifier/model.json ./data/classifier/model.json
# One ESM bundle of the sources and viem (dist/cli.mjs) and the list of files it was built from:
# bin/chainwatch.mjs runs it while those files are unchanged, so no TypeScript loader at run time.
COPY scripts/lazy-externals.mjs ./scripts/
RUN node scripts/bundle.mjs
USER node
# Node and V8 flags for the process (V8's are not allowed in NODE_OPTIONS; the same as
# bin/chainwatch.mjs's shebang, which this ENTRYPOINT bypasses): a 1 MB young generation, an old
# generation that grows 10% past what is live before it is collected, and one V8 worker thread
# keep an idle process with the example config at 110 MiB instead of 173 (`npm run bench --
# --only memory`: rss_idle_bundled_mib against rss_idle_bundled_default_v8_mib), for some more
# CPU in garbage collection. A worker that polls hundreds of networks may prefer V8's defaults:
# CHAINWATCH_NODE_FLAGS="" (README, "Memory and the bundle").
ENV CHAINWATCH_NODE_FLAGS="--max-semi-space-size=1 --heap-growing-percent=10 --v8-pool-size=1"
ENTRYPOINT ["/bin/sh", "-c", "exec node $CHAINWATCH_NODE_FLAGS bin/chainwatch.mjs \"$@\"", "chainwatch"]
CMD ["start", "--config", "config/example.yaml"]
