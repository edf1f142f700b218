cargo build --release
./target/release/vellum --version
