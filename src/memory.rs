//! Process memory settings.

/// glibc's malloc gives threads that allocate at the same time arenas of their own (up to
/// eight per core) and keeps each arena's freed memory: with actix's workers and the blocking
/// pool that runs database work, the resident size grew with every thread that ever allocated
/// (measured on `onyx serve`, SQLite, 24,000 reads then 16,000 orders: high-water 50.2 MB with
/// glibc's default, 42.2 MB with two arenas, throughput unchanged). So: one arena (malloc's
/// per-thread caches keep the common small allocations off its lock).
///
/// glibc also raises its mmap threshold to the size of any large block freed, after which
/// blocks of that size come from the arenas and stay resident: each password hash (a
/// multi-MiB argon2 buffer) then left its memory behind (a service that signed in 20 members
/// reached 89–122 MB). A fixed threshold keeps large blocks mapped on their own and returned
/// when freed, and the heap is trimmed once 1 MiB at its top is free.
///
/// Called once at start-up, before other threads exist.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt takes two ints and only changes allocator tuning; it runs before the
        // process starts other threads.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
            libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
        }
    }
}

/// Gives the pages malloc holds free back to the system (all of them, not only those at the
/// top of the heap): run every few seconds by a background job, so that memory a burst of
/// requests freed does not stay resident. Takes about a millisecond.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only walks malloc's own free lists; it is thread-safe.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
