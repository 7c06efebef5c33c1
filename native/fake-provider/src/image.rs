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
    const SIDE: u32 = 8;
    let hash = fnv1a(seed.as_bytes());
    let [r, g, b, r2, g2, b2, ..] = hash.to_le_bytes();
    let mut pixels = Vec::with_capacity((SIDE * SIDE * 3) as usize);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let pixel = if (x + y) % 2 == 0 { [r, g, b] } else { [r2, g2, b2] };
            pixels.extend_from_slice(&pixel);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, SIDE, SIDE);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("png header into a Vec");
        if let Some(target) = target_bytes {
            // 8x8 RGB plus framing is about 100 bytes; pad the rest.
            let padding = target.saturating_sub(120);
            if padding > 0 {
                let filler: Vec<u8> = (0..padding).map(|i| (hash as usize).wrapping_add(i) as u8).collect();
                writer
                    .write_chunk(png::chunk::ChunkType(*b"fkPd"), &filler)
                    .expect("png chunk into a Vec");
            }
        }
        writer.write_image_data(&pixels).expect("png data into a Vec");
        writer.finish().expect("png end into a Vec");
    }
    out
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
}
