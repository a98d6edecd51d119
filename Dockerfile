# syntax=docker/dockerfile:1
# planbot: multi-stage build. The SQLite driver (mattn/go-sqlite3) needs cgo,
# so the build stage has gcc and the runtime stage has the matching glibc.

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=1 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/planbot ./cmd/planbot

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 planbot \
 && useradd --system --uid 10001 --gid planbot --home-dir /data --shell /usr/sbin/nologin planbot \
 && mkdir -p /data && chown planbot:planbot /data
COPY --from=build /out/planbot /usr/local/bin/planbot
COPY configs/planbot.example.yaml /etc/planbot/planbot.example.yaml
USER planbot:planbot
WORKDIR /data
# The HTTP server (health, download links, the Zalo webhook) listens on
# all interfaces inside the container; publish it behind a TLS proxy.
ENV TZ=Asia/Ho_Chi_Minh PLANBOT_DB=/data/planbot.db PLANBOT_HTTP_LISTEN=:8080
VOLUME ["/data"]
# 8443: Telegram's webhook; 8080: planbot's HTTP server.
EXPOSE 8443 8080
ENTRYPOINT ["/usr/local/bin/planbot"]
CMD ["serve"]
