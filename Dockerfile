# syntax=docker/dockerfile:1
# Multi-stage build: the web console (Node), then a static pushd binary that
# embeds it, on a distroless base.
FROM node:22-bookworm AS console
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=console /src/web/dist ./web/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/pushd ./cmd/pushd

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pushd /usr/local/bin/pushd
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/pushd"]
CMD ["serve"]
