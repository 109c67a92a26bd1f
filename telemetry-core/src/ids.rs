//! Message ids: random v4 UUIDs from a per-thread pool, so that `record()`
//! neither makes a syscall nor takes a lock for its id.

/// Random bytes for message ids, fetched from the OS 256 ids at a time: a
/// `getrandom` call per event would make `record()` pay a syscall each time.
struct IdPool {
    buf: [u8; 4096],
    pos: usize,
}

thread_local! {
    /// One pool per recording thread: `record()` takes no lock for its id.
    static IDS: std::cell::RefCell<IdPool> = const { std::cell::RefCell::new(IdPool::new()) };
}

/// A fresh message id from this thread's pool; `None` if there is no randomness
/// (or the thread is being torn down).
pub(crate) fn next_message_id() -> Option<uuid::Uuid> {
    IDS.try_with(|p| p.try_borrow_mut().ok()?.next()).ok().flatten()
}

impl IdPool {
    const fn new() -> Self {
        IdPool { buf: [0; 4096], pos: 4096 }
    }

    /// A random (v4) UUID; `None` if the OS has no randomness to give.
    fn next(&mut self) -> Option<uuid::Uuid> {
        if self.pos + 16 > self.buf.len() {
            getrandom::fill(&mut self.buf).ok()?;
            self.pos = 0;
        }
        let mut b = [0u8; 16];
        b.copy_from_slice(&self.buf[self.pos..self.pos + 16]);
        // Used once: never hand out the same bytes twice.
        self.buf[self.pos..self.pos + 16].fill(0);
        self.pos += 16;
        Some(uuid::Builder::from_random_bytes(b).into_uuid())
    }
}
