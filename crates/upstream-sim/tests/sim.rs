//! The simulator over real HTTP, on a random port, as Chorus sees it.
//! One test binary (linking is slow on two cores); each suite is a module
//! under `sim/`.

#[path = "sim/helpers.rs"]
mod helpers;

#[path = "sim/faults.rs"]
mod faults;
#[path = "sim/lifecycle.rs"]
mod lifecycle;
#[path = "sim/media.rs"]
mod media;
#[path = "sim/protocol.rs"]
mod protocol;
#[path = "sim/stats.rs"]
mod stats;
