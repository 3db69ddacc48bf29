# A first version: builds with the same script and commands as the README,
# then copies the binary into a slim runtime image.
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends make sudo \
 && ./scripts/deps.sh \
 && make build BUILD_TYPE=Release

FROM debian:12-slim
# The shared libraries `ldd shopbox` names (SQLiteCpp is linked statically),
# and the trusted certificates an https payment provider is checked against.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libsqlite3-0 libsodium23 libfmt9 \
      libboost-json1.81.0 libtomlplusplus3 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/shopbox --create-home shopbox \
 && mkdir -p /var/lib/shopbox/data && chown shopbox: /var/lib/shopbox/data
COPY --from=build /src/build/shopbox /usr/local/bin/shopbox
COPY config/shopbox.example.toml /etc/shopbox/shopbox.example.toml
USER shopbox
WORKDIR /var/lib/shopbox
# WAL mode needs a local file system: mount a volume here, never NFS.
VOLUME /var/lib/shopbox/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["shopbox", "healthcheck"]
ENTRYPOINT ["shopbox"]
CMD ["serve"]
