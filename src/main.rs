//! The `vellum` binary: the only place that calls `process::exit`.

fn main() {
    std::process::exit(vellum::cli::run());
}
