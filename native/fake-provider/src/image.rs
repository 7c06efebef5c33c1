//! Deterministic small PNGs: the same seed (prompt and index) always gives the same bytes.

/// FNV-1a, 64 bit: stable across Rust releases (unlike `DefaultHasher`).
pub fn fnv1a(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in data {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// An 8x8 RGB PNG whose colours derive from `seed`. With `target_bytes`, a private ancillary
/// chunk (`fkPd`, ignored by decoders) pads the file to about that size, so benchmarks can ask
/// for large responses that are still valid PNGs.
pub fn png_for(seed: &str, target_bytes: Option<usize>) -> Vec<u8> {
    png_sized(seed, None, target_bytes)
}

/// A PNG of `size` pixels (8x8 when `None`) whose colours derive from `seed`: a gradient with as
/// many random low bits per channel as keep the compressed file under `target_bytes`, so a
/// browser decodes about as much as it would for a photo of that size; `fkPd` pads the rest.
pub fn png_sized(seed: &str, size: Option<(u32, u32)>, target_bytes: Option<usize>) -> Vec<u8> {
    let pixel_count = size.map_or(64, |(width, height)| width as usize * height as usize);
    // Random bits per channel: deflate keeps about that many bits of each byte plus one or two;
    // one fewer until the file fits.
    let mut noise_bits = match (size, target_bytes) {
        (Some(_), Some(target)) => ((target * 8) / (pixel_count * 3)).saturating_sub(1).min(8) as u32,
        _ => 0,
    };
    let mut out = encode(seed, size, noise_bits);
    while noise_bits > 0 && target_bytes.is_some_and(|target| out.len() > target) {
        noise_bits -= 1;
        out = encode(seed, size, noise_bits);
    }
    if let Some(target) = target_bytes {
        // The padding chunk goes before IEND (the last 12 bytes), with its 12 bytes of framing.
        let padding = target.saturating_sub(out.len() + 12);
        if padding > 0 {
            let hash = fnv1a(seed.as_bytes());
            let filler: Vec<u8> = (0..padding).map(|i| (hash as usize).wrapping_add(i) as u8).collect();
            let end = out.split_off(out.len() - 12);
            out.extend_from_slice(&(padding as u32).to_be_bytes());
            let mut chunk = b"fkPd".to_vec();
            chunk.extend_from_slice(&filler);
            out.extend_from_slice(&chunk);
            out.extend_from_slice(&crc32(&chunk).to_be_bytes());
            out.extend_from_slice(&end);
        }
    }
    out
}

fn encode(seed: &str, size: Option<(u32, u32)>, noise_bits: u32) -> Vec<u8> {
    let (width, height) = size.unwrap_or((8, 8));
    let hash = fnv1a(seed.as_bytes());
    let [r, g, b, r2, g2, b2, ..] = hash.to_le_bytes();
    let noise_mask = ((1u16 << noise_bits) - 1) as u8;
    let mut state = hash | 1;
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..width {
            let base = if size.is_none() {
                if (x + y) % 2 == 0 { [r, g, b] } else { [r2, g2, b2] }
            } else {
                let (u, v) = ((x * 255 / width) as u8, (y * 255 / height) as u8);
                [r ^ u, g ^ v, b.wrapping_add(u / 2).wrapping_add(v / 2)]
            };
            for channel in base {
                // xorshift64: cheap and deterministic.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                pixels.push((channel & !noise_mask) | (state as u8 & noise_mask));
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    if size.is_some() {
        encoder.set_compression(png::Compression::Fast);
    }
    let mut writer = encoder.write_header().expect("png header into a Vec");
    writer.write_image_data(&pixels).expect("png data into a Vec");
    writer.finish().expect("png end into a Vec");
    out
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_png_and_other_seeds_differ() {
        let a = png_for("a red fox", None);
        assert_eq!(a, png_for("a red fox", None));
        assert_ne!(a, png_for("a blue fox", None));
        assert!(a.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(a.len() < 200);
    }

    #[test]
    fn padded_png_reaches_the_requested_size_and_still_decodes() {
        let bytes = png_for("big", Some(2 * 1024 * 1024));
        assert!(bytes.len() >= 2 * 1024 * 1024 - 200 && bytes.len() <= 2 * 1024 * 1024 + 200, "{}", bytes.len());
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().expect("decodes");
        assert_eq!(reader.info().width, 8);
    }

    #[test]
    fn sized_png_has_the_asked_pixels_and_about_the_asked_bytes() {
        let bytes = png_sized("big", Some((1536, 1024)), Some(3 * 1024 * 1024));
        assert!(bytes.len() >= 3 * 1024 * 1024 - 200 && bytes.len() <= 3 * 1024 * 1024 + 200, "{}", bytes.len());
        let mut reader = png::Decoder::new(std::io::Cursor::new(&bytes)).read_info().expect("decodes");
        assert_eq!((reader.info().width, reader.info().height), (1536, 1024));
        let mut pixels = vec![0; reader.output_buffer_size().expect("fits")];
        reader.next_frame(&mut pixels).expect("pixels decode");
        // Most of the bytes are pixels, not padding: the browser inflates a photo-sized file.
        let at = bytes.windows(4).position(|window| window == b"fkPd").expect("padded");
        let padding = u32::from_be_bytes(bytes[at - 4..at].try_into().unwrap()) as usize;
        assert!(padding < bytes.len() / 3, "{padding} of {}", bytes.len());
    }
}
