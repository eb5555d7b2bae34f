//! Clean-up that must finish inside `Drop`, where no runtime can be awaited:
//! run it to completion on a runtime of its own, on a thread of its own.

use std::future::Future;

pub fn run_to_completion<F>(work: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let thread = std::thread::spawn(move || {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(work),
            Err(e) => eprintln!("test clean-up could not start a runtime: {e}"),
        }
    });
    let _ = thread.join();
}
