//! Sign-in attempts limited per account and per client address, in fixed
//! 15-minute windows counted in Redis:
//!
//! - `login-attempts:account:<sha256 of email>`: at most 5 failures;
//! - `login-attempts:address:<ip>` (an IPv6 /64, which one client usually
//!   holds whole): at most 20.
//!
//! An attempt is counted *before* the password is checked, so parallel
//! guesses cannot slip past the limit while argon2 runs; a successful
//! attempt is then taken back. Over the limit the password is not checked.
//!
//! The address is the TCP peer. Behind a reverse proxy every client shares
//! the proxy's address and only the per-account limit is meaningful; trusting
//! `X-Forwarded-For` would need a configured list of trusted proxies.

use std::net::IpAddr;
use std::time::Duration;

use chorus_core::keyspace::Keyspace;
use redis::aio::ConnectionManager;

use crate::error::WebError;
use crate::state::AppState;
use crate::tokens;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;

/// Decrements a counter only while it exists: a DECR on an expired key
/// would make a new one without an expiry.
const TAKE_BACK: &str =
    "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0";

pub struct LoginLimits {
    redis: ConnectionManager,
    keyspace: Keyspace,
}

/// One counted attempt, to be taken back if it succeeds.
pub struct Reservation {
    account: String,
    address: Option<String>,
}

impl LoginLimits {
    pub fn new(state: &AppState) -> LoginLimits {
        LoginLimits {
            redis: state.redis.clone(),
            keyspace: state.config.keyspace(),
        }
    }

    /// Counts an attempt on the account and the address. `Err(wait)` when
    /// either is over its limit: the caller must refuse without checking
    /// the password, and may say when to come back.
    pub async fn reserve(
        &self,
        email: &str,
        address: Option<IpAddr>,
    ) -> Result<Result<Reservation, Duration>, WebError> {
        let account = self.account_key(email);
        let address = address.map(|ip| self.address_key(ip));
        let mut counts = vec![(account.clone(), MAX_FAILURES_PER_ACCOUNT)];
        counts.extend(address.clone().map(|key| (key, MAX_FAILURES_PER_ADDRESS)));

        let mut pipe = redis::pipe();
        pipe.atomic();
        for (key, _) in &counts {
            // The window opens with the first attempt and does not move.
            pipe.cmd("SET")
                .arg(key)
                .arg(0)
                .arg("EX")
                .arg(WINDOW.as_secs())
                .arg("NX")
                .ignore()
                .incr(key, 1)
                .ttl(key);
        }
        // Per key: the new count, then the seconds left in its window.
        let replies: Vec<i64> = pipe.query_async(&mut self.redis.clone()).await?;
        let wait = counts
            .iter()
            .zip(replies.chunks_exact(2))
            .filter(|((_, max), reply)| u64::try_from(reply[0]).unwrap_or(0) > *max)
            .map(|(_, reply)| Duration::from_secs(u64::try_from(reply[1]).unwrap_or(1).max(1)))
            .max();
        Ok(match wait {
            Some(wait) => Err(wait),
            None => Ok(Reservation { account, address }),
        })
    }

    /// A successful sign-in: the account starts afresh, and the address
    /// gets its attempt back, so an office behind one address can sign in.
    pub async fn succeeded(&self, reservation: Reservation) -> Result<(), WebError> {
        let mut pipe = redis::pipe();
        pipe.del(&reservation.account).ignore();
        if let Some(address) = &reservation.address {
            pipe.cmd("EVAL").arg(TAKE_BACK).arg(1).arg(address).ignore();
        }
        pipe.exec_async(&mut self.redis.clone()).await?;
        Ok(())
    }

    fn account_key(&self, email: &str) -> String {
        let email = email.trim().to_lowercase();
        self.keyspace.key(&format!(
            "login-attempts:account:{}",
            tokens::sha256_hex(&email)
        ))
    }

    fn address_key(&self, ip: IpAddr) -> String {
        self.keyspace
            .key(&format!("login-attempts:address:{}", client_block(ip)))
    }
}

/// An IPv4 address, or the /64 an IPv6 address is in.
fn client_block(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_block() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(client_block(a), client_block(b));
        assert_eq!(client_block(a), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_block(mapped), "192.0.2.7");
    }
}
