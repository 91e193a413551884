//! Process memory settings.

/// glibc's malloc gives threads that allocate at the same time arenas of their own (up to
/// eight per core) and keeps each arena's freed memory: with actix's workers and the blocking
/// pool that runs database work, the resident size grew with every thread that ever allocated
/// (measured on `onyx serve`, SQLite, 24,000 reads then 16,000 orders: high-water 50.2 MB with
/// glibc's default, 42.2 MB with two arenas, throughput unchanged). Called once at start-up,
/// before other threads exist.
pub fn limit_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt takes two ints and only changes allocator tuning; it runs before the
        // process starts other threads.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
