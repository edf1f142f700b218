//! The `vellum` binary: the only place that calls `process::exit`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(vellum::cli::run());
}
