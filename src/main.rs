//! The `vellum` binary: the only place that calls `process::exit`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in mimalloc's `mi_option_e`, the same in v2 and v3 (the bindings name
/// no constant).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Commits arena memory as it is used instead of whole arenas up front: same speed, and the
/// corpus build peaks at ~60 MB instead of ~95 MB. It must run before the first allocation
/// (the runtime allocates before `main`), hence a constructor.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static LAZY_COMMIT: extern "C" fn() = {
    extern "C" fn lazy_commit() {
        // SAFETY: sets a process-wide allocator option; mimalloc allows it at any time.
        unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
    }
    lazy_commit
};

fn main() {
    std::process::exit(vellum::cli::run());
}
