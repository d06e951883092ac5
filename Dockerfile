# chainwatch: one image for every role (start --role all|worker|scheduler).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# DejaVu Sans for the text of the incident pictures (resvg draws no text without a font, and
# the slim image has none); src/publish/image/render-png.ts loads these files by path.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
# Dependencies first, for layer caching. esbuild (with tsx) is a runtime dependency: it
# bundles the sources below; `npx chainwatch` outside the image runs them through tsx.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY jobs ./jobs
COPY commands ./commands
COPY config ./config
COPY examples ./examples
# The classifier's weights (src/social/classifier imports them; the bundle inlines them).
COPY data/classifier/model.json ./data/classifier/model.json
COPY scripts/bundle.mjs ./scripts/
# One ESM bundle of the sources: no TypeScript loader at run time (about 70 MB less per process).
RUN node scripts/bundle.mjs
USER node
ENTRYPOINT ["node", "bin/chainwatch.mjs"]
CMD ["start", "--config", "config/example.yaml"]
