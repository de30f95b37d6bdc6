# One image for every service and the ciem command. The services run from the TypeScript
# sources through tsx, as they do in development, so the image needs no build stage.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NX_NO_CLOUD=true NX_DAEMON=false
COPY package.json package-lock.json ./
COPY libs ./libs
COPY services ./services
COPY schemas ./schemas
COPY test/package.json ./test/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
USER node
ENTRYPOINT ["npx", "--no-install", "ciem"]
CMD ["--help"]
