//! A generated cover image per clip: a diagonal gradient with soft rings,
//! its colours taken from the clip id.

use uuid::Uuid;

/// Side of the cover image, in pixels.
pub const SMALL: u32 = 128;
/// Side of the `image_large_url` variant.
pub const LARGE: u32 = 256;

/// Renders a `size`×`size` RGB PNG for `id`.
pub fn render_png(id: Uuid, size: u32) -> Result<Vec<u8>, png::EncodingError> {
    let b = id.as_bytes();
    let from = [b[0], b[1], b[2]].map(f32::from);
    let to = [b[3], b[4], b[5]].map(f32::from);
    let ring_scale = 6.0 + f32::from(b[6] % 10);
    let (cx, cy) = (f32::from(b[7]) / 255.0, f32::from(b[8]) / 255.0);
    let side = size as f32;
    let mut pixels = Vec::with_capacity((size * size * 3) as usize);
    for y in 0..size {
        for x in 0..size {
            let (u, v) = (x as f32 / side, y as f32 / side);
            let mix = (u + v) / 2.0;
            let dist = ((u - cx).powi(2) + (v - cy).powi(2)).sqrt();
            let ring = 0.85 + 0.15 * (dist * ring_scale * std::f32::consts::TAU).cos();
            for c in 0..3 {
                let value = (from[c] * (1.0 - mix) + to[c] * mix) * ring;
                pixels.push(value.clamp(0.0, 255.0) as u8);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size, size);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png_of_the_requested_size() {
        let png = render_png(Uuid::new_v4(), SMALL).expect("renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height follow the chunk header.
        assert_eq!(&png[16..20], &SMALL.to_be_bytes());
        assert_eq!(&png[20..24], &SMALL.to_be_bytes());
    }
}
