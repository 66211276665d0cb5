# syntax=docker/dockerfile:1
# One image for the whole backend: the gateway, the four gRPC services and
# the migration runner; and, from the `web` target, one image per web
# interface (its static server and its build). The service is chosen by the first argument (the
# chart passes it: args: ["content"]); anything else is run as a command,
# e.g. the migration Job's `npm run migrate:up -- --environment production --backup`.
#
#   docker build -t testmancer .
#   docker run testmancer gateway
#   docker build --target web --build-arg WEB_APP=admin -t web-admin .
#   docker build --target web --build-arg WEB_APP=student -t web-student .
ARG NODE_IMAGE=node:20.19-bookworm-slim

# --- build: every workspace's dependencies, then the TypeScript -------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY . .
# npm ci is the one step that reaches the registry. Behind a TLS-inspecting
# proxy, its CA goes in as a build secret (--secret id=npm-ca,src=<PEM file>,
# as `make image` passes npm's cafile): trusted by this step, kept in no layer.
RUN --mount=type=secret,id=npm-ca \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi \
 && npm ci \
 && npm run build \
 && npm run build -w @testmancer/web \
 && npm prune --omit=dev \
 # What the runtime does not need: the sources (tests, tools and charts stay out of the context, .dockerignore) and the guides.
 && find . -path ./node_modules -prune -o -type d -name src -print | xargs rm -rf \
 && rm -rf docs \
 && find . -path ./node_modules -prune -o -name '*.tsbuildinfo' -print | xargs rm -f
# Each image keeps only the packages its processes reach (their production
# dependencies, as npm ls lists them): the web server its own few, copied
# aside for the web target; the backend those of the services and the
# migration runner. The web interfaces' React and Mantine are in their
# bundles already; the benchmarks and the load test run from a checkout.
RUN npm ls --omit=dev --all --parseable --workspace=web/server | grep '/node_modules/' | grep -v '/node_modules/@testmancer/' \
      | sed 's|^/app/||' > /tmp/web-server-packages \
 && mkdir /web-server && tar -c -T /tmp/web-server-packages | tar -x -C /web-server \
 && npm ls --omit=dev --all --parseable > /tmp/installed \
 && npm ls --omit=dev --all --parseable --workspace=services/gateway --workspace=services/content --workspace=services/quiz \
      --workspace=services/gems --workspace=services/media --workspace=migrations > /tmp/backend-packages \
 && grep -vxFf /tmp/backend-packages /tmp/installed | grep '/node_modules/' | xargs rm -rf

# --- web: one interface's static server (chart: frontends.<app>); the runtime
# below stays the default target, being last
FROM ${NODE_IMAGE} AS web
ARG WEB_APP=student
ENV NODE_ENV=production WEB_ROOT=/app/web/dist/${WEB_APP} PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /web-server/node_modules /app/node_modules
COPY --from=build --chown=root:root /app/web/server /app/web/server
COPY --from=build --chown=root:root /app/web/dist/${WEB_APP} /app/web/dist/${WEB_APP}
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "/app/web/server/dist/main.js"]

# --- runtime: node, the built workspaces, non-root ------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false HOME=/tmp
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The image's files belong to root and are read-only for the process (uid 1000,
# "node"); it writes only to /tmp (an emptyDir in the chart).
USER 1000:1000
EXPOSE 8080 50051 9464
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["gateway"]

