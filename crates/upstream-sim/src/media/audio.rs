//! A short, playable WAV per clip: a melody whose key, notes and length come
//! from the clip id.

use std::f32::consts::TAU;
use std::io::Cursor;

use uuid::Uuid;

/// Low enough to keep files small, high enough for the melody's harmonics.
pub const SAMPLE_RATE: u32 = 8_000;
/// Two notes per second, so whole seconds need an even number of notes.
const SAMPLES_PER_NOTE: u32 = SAMPLE_RATE / 2;
/// Major pentatonic over two octaves: any sequence of it sounds tuneful.
const SCALE: [f32; 10] = [0.0, 2.0, 4.0, 7.0, 9.0, 12.0, 14.0, 16.0, 19.0, 21.0];

/// Length of the clip's audio in whole seconds (8, 9 or 10).
pub fn duration_secs(clip_id: Uuid) -> u32 {
    8 + u32::from(clip_id.as_bytes()[15] % 3)
}

/// Renders the clip's song as a 16-bit mono WAV file.
pub fn render_wav(clip_id: Uuid) -> Result<Vec<u8>, hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let notes = duration_secs(clip_id) * 2;
    let mut out = Cursor::new(Vec::with_capacity(
        (notes * SAMPLES_PER_NOTE * 2 + 64) as usize,
    ));
    let mut writer = hound::WavWriter::new(&mut out, spec)?;
    let mut rng = fastrand::Rng::with_seed(seed(clip_id));
    // The key: a root between G3 and F#4.
    let root = 196.0 * 2f32.powf(f32::from(rng.u8(0..12)) / 12.0);
    let mut degree = rng.usize(0..SCALE.len());
    for note in 0..notes {
        // A random walk over the scale keeps the melody stepwise.
        degree = (degree + rng.usize(0..5) + SCALE.len() - 2) % SCALE.len();
        let freq = root * 2f32.powf(SCALE[degree] / 12.0);
        // Every fourth note is held softer, like a phrase ending.
        let loudness = if note % 4 == 3 { 0.18 } else { 0.28 };
        for n in 0..SAMPLES_PER_NOTE {
            let t = n as f32 / SAMPLE_RATE as f32;
            // Short attack and exponential decay avoid clicks between notes.
            let envelope = (t / 0.01).min(1.0) * (-3.0 * t).exp();
            let tone = (TAU * freq * t).sin() + 0.3 * (TAU * 2.0 * freq * t).sin();
            let sample = loudness * envelope * tone / 1.3;
            writer.write_sample((sample * f32::from(i16::MAX)) as i16)?;
        }
    }
    writer.finalize()?;
    Ok(out.into_inner())
}

fn seed(id: Uuid) -> u64 {
    let (hi, lo) = id.as_u64_pair();
    hi ^ lo.rotate_left(17)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_is_valid_and_as_long_as_reported() {
        let id = Uuid::new_v4();
        let wav = render_wav(id).expect("renders");
        let reader = hound::WavReader::new(Cursor::new(&wav)).expect("valid wav");
        assert_eq!(reader.spec().sample_rate, SAMPLE_RATE);
        assert_eq!(reader.duration(), duration_secs(id) * SAMPLE_RATE);
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..12], b"WAVE");
    }

    #[test]
    fn clips_differ_and_each_renders_the_same_every_time() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let wav_a = render_wav(a).expect("renders");
        assert_eq!(wav_a, render_wav(a).expect("renders"));
        assert_ne!(wav_a, render_wav(b).expect("renders"));
    }
}
