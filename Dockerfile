# One image for every role: `chorus web | worker | all | migrate | sim`.
# The build is the one CI proves: `cargo build --release --locked --bin chorus`.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin chorus \
 && cp target/release/chorus /usr/local/bin/chorus

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/chorus --create-home chorus
COPY --from=build /usr/local/bin/chorus /usr/local/bin/chorus
USER chorus
WORKDIR /var/lib/chorus
ENV CHORUS_STORAGE_DIR=/var/lib/chorus/storage
EXPOSE 8080
ENTRYPOINT ["chorus"]
CMD ["all"]
