//! The image types the plugin accepts as uploads and writes to disk, told apart by their first
//! bytes: what a file claims (its name, a declared content type) never decides alone.

/// PNG, JPEG or WebP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// `\x89PNG\r\n\x1a\n`
    Png,
    /// `FF D8 FF`
    Jpeg,
    /// `RIFF....WEBP`
    Webp,
}

impl ImageKind {
    /// The kind of `bytes`, or `None` when they do not start like a PNG, JPEG or WebP file.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    /// The kind a content type names (any case; `image/jpg` is taken for `image/jpeg`).
    pub fn from_content_type(content_type: &str) -> Option<ImageKind> {
        match content_type.to_ascii_lowercase().as_str() {
            "image/png" => Some(ImageKind::Png),
            "image/jpeg" | "image/jpg" => Some(ImageKind::Jpeg),
            "image/webp" => Some(ImageKind::Webp),
            _ => None,
        }
    }

    /// `image/png`, `image/jpeg` or `image/webp`.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }

    /// `png`, `jpeg` or `webp`.
    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpeg",
            ImageKind::Webp => "webp",
        }
    }

    /// Whether a file of this kind may carry the (lower-case) `extension`.
    pub fn takes_extension(self, extension: &str) -> bool {
        match self {
            ImageKind::Png => extension == "png",
            ImageKind::Jpeg => extension == "jpg" || extension == "jpeg",
            ImageKind::Webp => extension == "webp",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bytes_decide_the_kind() {
        assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ImageKind::Png));
        assert_eq!(ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(ImageKind::sniff(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(ImageKind::sniff(b"GIF89a"), None);
        assert_eq!(ImageKind::sniff(b""), None);
    }

    #[test]
    fn content_types_map_both_ways() {
        for kind in [ImageKind::Png, ImageKind::Jpeg, ImageKind::Webp] {
            assert_eq!(ImageKind::from_content_type(kind.content_type()), Some(kind));
        }
        assert_eq!(ImageKind::from_content_type("IMAGE/JPG"), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::from_content_type("image/gif"), None);
    }
}
