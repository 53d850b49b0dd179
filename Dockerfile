# syntax=docker/dockerfile:1
# Personal Automations: the Next.js standalone server, the Prisma migrations it applies at start-up
# and the bundled CLI. docker-compose.yml runs it with PostgreSQL and a self-hosted Inngest.
#   docker build -t personal-automations .

FROM node:24-bookworm-slim AS base
ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app

# Dependencies, exactly as the lockfile pins them. `npm install` rather than `npm ci`: ci rejects a
# lockfile that lacks other platforms' optional packages, which some registry mirrors do not hold.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --ignore-scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# `prisma generate` reads env("DATABASE_URL") but never connects.
RUN DATABASE_URL=postgresql://build@127.0.0.1:1/build npx prisma generate

FROM base AS build
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/generated ./generated
COPY . .
# Browser error reporting is compiled into the client bundle, so its DSN is a build argument.
ARG NEXT_PUBLIC_SENTRY_DSN=""
RUN NEXT_OUTPUT=standalone PA_BUILD_CACHE=0 npm run build
# cli/main.mjs and the packages `prisma migrate deploy` and the CLI load at run time, into /runtime.
RUN npx tsx scripts/docker/build-runtime.ts /runtime

FROM base AS runner
ENV NODE_ENV=production \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
# The server writes nothing under /app; DATA_DIR is the one writable place (a volume in compose).
RUN mkdir -p /data && chown node:node /data \
 && printf '#!/bin/sh\nexec node /app/cli/main.mjs "$@"\n' > /usr/local/bin/pa && chmod 755 /usr/local/bin/pa
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY --from=build /runtime/node_modules ./node_modules
COPY --from=build /runtime/cli ./cli
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/prisma.config.ts ./
COPY --chmod=0755 scripts/docker/entrypoint.sh /usr/local/bin/docker-entrypoint
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["docker-entrypoint"]
CMD ["node", "server.js"]
