use chorus_core::Config;

/// What the shared page frame (`base.html`) needs.
pub struct Layout {
    /// Shown as a banner on every page: nobody should mistake simulated songs
    /// for real ones, or think they are paying.
    pub simulated_upstream: bool,
}

impl Layout {
    pub fn new(config: &Config) -> Layout {
        Layout {
            simulated_upstream: config.upstream.simulated,
        }
    }
}
