FROM node:20-slim
# ping for ICMP monitors
RUN apt-get update && apt-get install -y --no-install-recommends iputils-ping && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY server ./server
COPY sql ./sql
ENV PORT=8080 DATA_DIR=/data
EXPOSE 8080
CMD ["npm", "start"]
