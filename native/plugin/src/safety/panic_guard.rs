//! A panic in this crate's own code (a bug) must not kill the host's call or look like a network
//! failure: [`catch`] and [`CatchPanic`] turn it into a value carrying where it happened, which
//! the commands answer as the `internal` error and log once.
//!
//! The location comes from a panic hook. The hook is this library's own (a `cdylib` carries its
//! own standard library, so the host's hook is untouched); it records panics inside a guarded
//! section and hands every other panic to the hook that was there before. The panic message is
//! never kept: it can quote provider text (a byte-index panic prints the string around it).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};

thread_local! {
    static GUARDED: Cell<u32> = const { Cell::new(0) };
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) > 0 {
                let location = info.location().map_or_else(|| "an unknown location".to_string(), |l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                LOCATION.with(|slot| *slot.borrow_mut() = Some(location));
            } else {
                previous(info);
            }
        }));
    });
}

/// A caught panic: where it happened (`file:line:column`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// Source location of the panic.
    pub location: String,
}

/// Runs `f`, turning a panic into [`Panicked`].
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    install_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    result.map_err(|_| Panicked {
        location: LOCATION.with(|slot| slot.borrow_mut().take()).unwrap_or_else(|| "an unknown location".to_string()),
    })
}

/// A future whose panics (in any poll) end it with [`Panicked`].
pub struct CatchPanic<F> {
    inner: Pin<Box<F>>,
}

impl<F: Future> CatchPanic<F> {
    /// Wraps `future`.
    pub fn new(future: F) -> Self {
        Self { inner: Box::pin(future) }
    }
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Panicked>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        match catch(move || inner.poll(cx)) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(panicked) => Poll::Ready(Err(panicked)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_location_without_its_message() {
        let text = String::from("abcd€ secret");
        let caught = catch(|| text[..5].len()).unwrap_err();
        assert!(caught.location.contains("panic_guard.rs"), "{}", caught.location);
        assert!(!caught.location.contains("secret"));
        assert_eq!(catch(|| 7), Ok(7));
    }

    #[test]
    fn a_panicking_future_ends_with_its_location() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let caught = runtime.block_on(CatchPanic::new(async { panic!("boom") as u8 })).unwrap_err();
        assert!(caught.location.contains("panic_guard.rs"));
    }
}
