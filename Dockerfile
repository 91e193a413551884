# Onyx Partner API: release build in the official Rust image, run on Debian slim as a
# non-root user. Build: `docker build -t onyx .`
# Run:   see the README (Docker): every required secret is passed with -e.

# ---- builder ---------------------------------------------------------------------------
FROM rust:1-bookworm AS builder
WORKDIR /build

# Dependency layer: build every dependency against stub sources, so that changing only the
# service's own code does not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src tests/api benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > tests/api/main.rs \
    && echo 'fn main() {}' > benches/api.rs \
    && cargo build --release --locked \
    && rm -rf src tests benches \
        target/release/onyx target/release/onyx.d \
        target/release/.fingerprint/onyx-* \
        target/release/deps/onyx-* target/release/deps/libonyx-*

# The service itself (migrations are embedded into the binary at compile time).
COPY . .
RUN cargo build --release --locked \
    && install -m 0755 target/release/onyx /usr/local/bin/onyx

# ---- runtime ---------------------------------------------------------------------------
FROM debian:bookworm-slim

# libssl3: the bundled libpq links OpenSSL dynamically.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system onyx \
    && useradd --system --gid onyx --home-dir /var/lib/onyx --no-create-home \
        --shell /usr/sbin/nologin onyx \
    && mkdir -p /var/lib/onyx \
    && chown onyx:onyx /var/lib/onyx

COPY --from=builder /usr/local/bin/onyx /usr/local/bin/onyx

WORKDIR /var/lib/onyx
USER onyx

ENV ONYX_LISTEN=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/onyx/onyx.db

EXPOSE 8080

# Healthy while /readyz answers 200 (the database is reachable).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["onyx", "healthcheck"]

ENTRYPOINT ["onyx"]
CMD ["serve"]
