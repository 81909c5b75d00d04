# syntax=docker/dockerfile:1
# Multi-stage build: a static pushd binary on a distroless base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/pushd ./cmd/pushd

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pushd /usr/local/bin/pushd
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/pushd"]
CMD ["serve"]
