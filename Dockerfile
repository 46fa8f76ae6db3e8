# Atrium in a minimal image. This file builds nothing: build the static binary first,
# beside it, then the image (see docs/DEPLOY.md):
#
#   CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o atrium ./cmd/atrium
#   docker build -t atrium .
#
# Only the CA certificates are taken from another image (for PostgreSQL over TLS and S3).
FROM alpine:3.22 AS certs

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# An empty /data owned by the user below: the data folder (SQLite, files, secret), and the
# spool for uploads even when the database is PostgreSQL and the files are in S3.
COPY --from=certs --chown=65532:65532 /var/empty /data
COPY --chmod=0755 atrium /atrium
USER 65532:65532
ENV ATRIUM_DATA=/data \
    ATRIUM_ADDR=:8080 \
    TMPDIR=/data/tmp
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/atrium"]
CMD ["serve"]
