//! The closing gate: once a signal says rollcage is stopping, nothing new is created, and
//! cleanup waits for creations already in flight before it lists what to remove.
//!
//! Every engine call that creates a resource holds a `Permit` while it runs. `close` shuts
//! the gate; `settled` returns once no permit is held, so a listing made after it sees
//! everything the run will ever have. Without the gate a container created just after the
//! listing outlived the cleanup.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::RuntimeError;

static CLOSING: AtomicBool = AtomicBool::new(false);
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Held while one creating engine call runs; dropping it ends the call's claim.
#[derive(Debug)]
pub(crate) struct Permit(());

impl Drop for Permit {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A permit to create, or `RuntimeError::Closing` once the gate is shut.
pub(crate) fn permit() -> Result<Permit, RuntimeError> {
    // Counted first, checked second: `close` then `settled` cannot miss a call that passed.
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    let permit = Permit(());
    if CLOSING.load(Ordering::SeqCst) {
        return Err(RuntimeError::Closing);
    }
    Ok(permit)
}

/// Shuts the gate for the rest of the process: every later creation fails.
pub fn close() {
    CLOSING.store(true, Ordering::SeqCst);
}

/// Whether rollcage is stopping (a signal arrived): no new resource may be created, and no
/// drill's result is reported, since the drill was cut short by the cleanup itself.
pub fn closing() -> bool {
    CLOSING.load(Ordering::SeqCst)
}

/// Waits (up to `limit`) until no creation is in flight; returns whether none is.
pub(crate) async fn settled(limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while IN_FLIGHT.load(Ordering::SeqCst) > 0 {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    true
}

/// Test hook: with `ROLLCAGE_TEST_PANIC_AT_START=N` set, a sandbox's N-th container start
/// panics once the container exists, so tests can prove a panicking drill leaves
/// nothing behind. Unset (always, outside tests), it does nothing.
pub(crate) fn panic_hook(started: u32) {
    let wanted = std::env::var("ROLLCAGE_TEST_PANIC_AT_START")
        .ok()
        .and_then(|v| v.parse::<u32>().ok());
    if wanted == Some(started) {
        // A deliberate panic, requested by the test hook above.
        std::panic::panic_any("rollcage test hook: panic at a container start");
    }
}
