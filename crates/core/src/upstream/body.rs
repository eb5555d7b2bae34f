//! Reading a reply body chunk by chunk under a size cap, so a huge or
//! endless body is abandoned after `cap` bytes instead of being buffered.

use reqwest::Response;

/// The bytes read and how reading ended.
pub(crate) struct BodyRead {
    /// Everything read, at most `cap` bytes (a prefix unless `Complete`).
    pub bytes: Vec<u8>,
    pub end: BodyEnd,
}

pub(crate) enum BodyEnd {
    Complete,
    /// The body is (or claims to be) larger than the cap.
    TooLarge,
    /// The connection failed or timed out mid-body.
    Broken(reqwest::Error),
}

pub(crate) async fn read_capped(mut response: Response, cap: usize) -> BodyRead {
    let mut bytes = Vec::new();
    // A declared length over the cap is refused before reading anything.
    let cap_u64 = u64::try_from(cap).unwrap_or(u64::MAX);
    if response.content_length().is_some_and(|n| n > cap_u64) {
        let end = BodyEnd::TooLarge;
        return BodyRead { bytes, end };
    }
    loop {
        let end = match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = cap - bytes.len();
                if chunk.len() <= room {
                    bytes.extend_from_slice(&chunk);
                    continue;
                }
                bytes.extend_from_slice(chunk.get(..room).unwrap_or_default());
                BodyEnd::TooLarge
            }
            Ok(None) => BodyEnd::Complete,
            Err(e) => BodyEnd::Broken(e),
        };
        return BodyRead { bytes, end };
    }
}
