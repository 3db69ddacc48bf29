# Built with the same script and command as the README (scripts/deps.sh,
# make build); the runtime image holds the binary and its shared libraries.
FROM debian:bookworm AS build
WORKDIR /src
COPY . .
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends make sudo \
 && ./scripts/deps.sh \
 && make build BUILD_TYPE=Release

FROM debian:bookworm-slim AS runtime
# The shared libraries `ldd shopbox` names (SQLiteCpp is linked statically),
# and the trusted certificates an https payment provider is checked against.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libsqlite3-0 libsodium23 libfmt9 \
      libboost-json1.81.0 libtomlplusplus3 libssl3 librdkafka1 libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 shopbox \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /data shopbox \
 && mkdir /data && chown shopbox:shopbox /data
COPY --from=build /src/build/shopbox /usr/local/bin/shopbox
COPY config/shopbox.example.toml /etc/shopbox/shopbox.example.toml
USER shopbox
WORKDIR /data
ENV SHOPBOX_DATABASE_PATH=/data/shopbox.db
# WAL mode needs a local file system: mount a volume here, never NFS.
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["shopbox", "healthcheck"]
# SIGTERM drains: readiness turns 503, requests in flight finish, the
# outbox is flushed (README, Operations).
STOPSIGNAL SIGTERM
ENTRYPOINT ["shopbox"]
CMD ["serve"]
