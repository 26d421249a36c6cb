# Build stage: the dashboard (Vite) and the compiled server (TypeScript) need the dev dependencies.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY client ./client
COPY scripts ./scripts
COPY server ./server
COPY tsconfig.json tsconfig.server.json ./
RUN npm run build:client && npm run build:server

FROM node:20-slim
# ping for ICMP monitors
RUN apt-get update && apt-get install -y --no-install-recommends iputils-ping && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY server/db/cluster-template ./server/db/cluster-template
COPY sql ./sql
COPY --from=build /app/client/dist ./client/dist
# production: GraphiQL and schema introspection off unless GRAPHQL_INTROSPECTION=true
ENV NODE_ENV=production PORT=8080 DATA_DIR=/data
EXPOSE 8080
# node directly: npm's prestart would try to rebuild, and the image has no dev dependencies
CMD ["node", "dist/server/main.js"]
