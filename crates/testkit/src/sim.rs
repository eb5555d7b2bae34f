use chorus_upstream_sim::{SimConfig, SimHandle, Simulator};

/// The upstream simulator on a random port, running as long as the test's
/// runtime does.
pub struct TestSim {
    api_base_url: String,
    handle: SimHandle,
}

impl TestSim {
    pub async fn start(config: SimConfig) -> TestSim {
        // The test runner, not the simulator, owns Ctrl-C.
        let sim = Simulator::bind(config, "127.0.0.1:0")
            .unwrap_or_else(|e| panic!("cannot start the simulator: {e}"))
            .without_os_signals();
        let api_base_url = sim.api_base_url();
        let handle = sim.handle();
        tokio::spawn(sim.run_until_stopped());
        TestSim {
            api_base_url,
            handle,
        }
    }

    /// `http://127.0.0.1:<port>/api/v2`
    pub fn api_base_url(&self) -> &str {
        &self.api_base_url
    }

    /// Reads stats and switches faults without going through HTTP.
    pub fn handle(&self) -> &SimHandle {
        &self.handle
    }
}
