FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
# The compiled app (dist/), run as `npm run start:prod` runs it: production mode and the Node flags and malloc
# setting measured in docs/benchmark.md (young generation, old space, --liftoff-only, MALLOC_ARENA_MAX=2).
RUN npm run build
ENV NODE_ENV=production
# In a container the app must listen beyond loopback (the default outside Docker is 127.0.0.1).
ENV HOST=0.0.0.0
EXPOSE 3000
CMD ["npm", "run", "start:prod"]
