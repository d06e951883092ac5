# chainwatch: one image for every role (start --role all|worker|scheduler).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Dependencies first, for layer caching. tsx is a runtime dependency: the TypeScript sources
# run as they are, there is no build step.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY jobs ./jobs
COPY config ./config
COPY examples ./examples
COPY tsconfig.json ./
USER node
ENTRYPOINT ["node", "bin/chainwatch.mjs"]
CMD ["start", "--config", "config/example.yaml"]
