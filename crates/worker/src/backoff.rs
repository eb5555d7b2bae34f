use std::time::Duration;

const BASE: Duration = Duration::from_secs(1);
const CAP: Duration = Duration::from_secs(60);

/// Exponential backoff with ±25 % jitter, so many waiting requests do not
/// come back at the same instant: about 1 s, 2 s, 4 s … up to a minute.
pub fn backoff(attempt: i32) -> Duration {
    let exponent = attempt.saturating_sub(1).clamp(0, 16) as u32;
    let plain = BASE.saturating_mul(2u32.saturating_pow(exponent)).min(CAP);
    plain.mul_f64(0.75 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_then_stays_under_the_cap() {
        for attempt in 1..40 {
            let d = backoff(attempt);
            let plain = BASE
                .saturating_mul(2u32.saturating_pow((attempt - 1).min(16) as u32))
                .min(CAP);
            assert!(
                d >= plain.mul_f64(0.75) && d <= plain.mul_f64(1.25),
                "{attempt}: {d:?}"
            );
        }
        assert!(backoff(100) <= CAP.mul_f64(1.25));
    }
}
