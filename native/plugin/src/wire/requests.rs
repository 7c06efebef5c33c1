//! The image requests as the frontend sends them, and their validation: OpenAI's field names
//! (`output_format`, `b64_json`, …), the same as the host SDK's image request types, so one
//! request object serves the managed and the custom path. Unknown keys are refused, which catches
//! typos such as `outputFormat`. Uploads are decoded here, once.

use std::borrow::Cow;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::image_kind::ImageKind;
use crate::error::Error;

/// Largest accepted reference image or mask (decoded).
pub const MAX_IMAGE_BYTES: usize = 50 * 1024 * 1024;
/// Most reference images per edit.
pub const MAX_EDIT_IMAGES: usize = 16;

/// `request` of `generate_images` (OpenAI `POST /images/generations`). Serialized as the body:
/// only the fields that are set (`response_format` never unless given: gpt-image models refuse
/// it); `output_compression` is added by the body where it applies.
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // OpenAI's own field names and meanings.
pub struct GenerateRequest {
    pub model: String,
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    #[serde(skip_serializing)]
    pub output_compression: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Not OpenAI's: SiliconFlow, Volcengine Ark and local servers take a seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Not OpenAI's: SiliconFlow and LocalAI take a negative prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    /// Not OpenAI's: xAI's `aspect_ratio` ("16:9", "19.5:9", "auto"); the chat dialect sends it
    /// in `image_config`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// Not OpenAI's: xAI's `resolution` ("1k", "2k"); the chat dialect sends it as
    /// `image_config.image_size` ("1K", "2K", "4K").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Not OpenAI's: SiliconFlow's step count (1–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_inference_steps: Option<u32>,
    /// Not OpenAI's: SiliconFlow's and Ark's guidance scale (0–100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guidance_scale: Option<f64>,
}

/// A reference image or mask: base64 bytes (a `data:` prefix is tolerated and removed).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFile {
    /// `image[]` (default for images), `image`, or `mask`.
    pub field_name: Option<String>,
    /// Original file name; only its last path segment is sent.
    pub file_name: String,
    /// `image/png`, `image/jpeg` or `image/webp`; sniffed from the bytes when absent.
    pub content_type: Option<String>,
    /// The bytes, base64.
    pub b64_json: String,
}

/// `request` of `edit_images` (OpenAI `POST /images/edits`, multipart).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EditRequest {
    pub model: Option<String>,
    pub prompt: String,
    pub images: Vec<ImageFile>,
    pub mask: Option<ImageFile>,
    pub size: Option<String>,
    pub n: Option<u32>,
    pub quality: Option<String>,
    pub output_format: Option<String>,
    pub output_compression: Option<u32>,
    pub moderation: Option<String>,
    pub response_format: Option<String>,
    pub background: Option<String>,
    pub input_fidelity: Option<String>,
    pub user: Option<String>,
    /// Not OpenAI's (see [`GenerateRequest::seed`]).
    pub seed: Option<u64>,
    /// Not OpenAI's (see [`GenerateRequest::negative_prompt`]).
    pub negative_prompt: Option<String>,
    /// Not OpenAI's (see [`GenerateRequest::aspect_ratio`]).
    pub aspect_ratio: Option<String>,
    /// Not OpenAI's (see [`GenerateRequest::resolution`]).
    pub resolution: Option<String>,
}

/// `request` of `generate_via_responses` (OpenAI `POST /responses`, `image_generation` tool).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsesRequest {
    /// The Responses model (e.g. `gpt-4.1`).
    pub model: String,
    /// The prompt (sent as `input_text`, or as the plain `input` without images).
    pub prompt: String,
    /// Reference images, sent as `input_image` data URLs.
    #[serde(default)]
    pub images: Vec<ImageFile>,
    /// Mask, sent as the tool's `input_image_mask`.
    pub mask: Option<ImageFile>,
    /// The tool's image model (`gpt-image-1`, …).
    pub image_model: Option<String>,
    /// Images wanted (1–4): one Responses call each, run in parallel.
    pub n: Option<u32>,
    /// Tool option.
    pub size: Option<String>,
    /// Tool option.
    pub quality: Option<String>,
    /// Tool option.
    pub output_format: Option<String>,
    /// Tool option (dropped for png).
    pub output_compression: Option<u32>,
    /// Tool option.
    pub background: Option<String>,
    /// Tool option.
    pub moderation: Option<String>,
    /// Tool option: `auto`, `generate` or `edit`.
    pub action: Option<String>,
    /// Tool option.
    pub input_fidelity: Option<String>,
}

/// A validated, decoded upload.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    /// Multipart field name.
    pub field_name: String,
    /// Safe file name.
    pub file_name: String,
    /// MIME type.
    pub content_type: String,
    /// Decoded bytes: the one copy kept (the Responses API re-encodes them into its data URL).
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Upload {{ field_name: {:?}, content_type: {:?}, bytes: [{} bytes] }}", self.field_name, self.content_type, self.bytes.len())
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid_request(message)
}

fn check_text(name: &str, value: &str, max_chars: usize) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(invalid(format!("{name} must not be empty.")));
    }
    if value.chars().count() > max_chars {
        return Err(invalid(format!("{name} is longer than {max_chars} characters.")));
    }
    Ok(())
}

fn check_option(name: &str, value: &Option<String>) -> Result<(), Error> {
    match value {
        Some(v) => check_text(name, v, 200),
        None => Ok(()),
    }
}

fn check_n(n: Option<u32>, max: u32) -> Result<(), Error> {
    match n {
        Some(n) if n == 0 || n > max => Err(invalid(format!("n must be between 1 and {max}."))),
        _ => Ok(()),
    }
}

fn check_compression(value: Option<u32>) -> Result<(), Error> {
    match value {
        Some(v) if v > 100 => Err(invalid("output_compression must be between 0 and 100.")),
        _ => Ok(()),
    }
}

fn check_response_format(value: &Option<String>) -> Result<(), Error> {
    match value.as_deref() {
        None | Some("url") | Some("b64_json") => Ok(()),
        Some(_) => Err(invalid("response_format must be \"url\" or \"b64_json\".")),
    }
}

/// Prompts up to 32000 characters (the largest any OpenAI image model takes).
const MAX_PROMPT_CHARS: usize = 32_000;

/// The checks every request shares, in this order: model, prompt, `n` against its largest
/// value, compression, response format, then each named option string.
fn check_request(
    model: Option<&str>,
    prompt: &str,
    (n, max_n): (Option<u32>, u32),
    output_compression: Option<u32>,
    response_format: &Option<String>,
    options: &[(&str, &Option<String>)],
) -> Result<(), Error> {
    if let Some(model) = model {
        check_text("model", model, 200)?;
    }
    check_text("prompt", prompt, MAX_PROMPT_CHARS)?;
    check_n(n, max_n)?;
    check_compression(output_compression)?;
    check_response_format(response_format)?;
    options.iter().try_for_each(|(name, value)| check_option(name, value))
}

/// Largest seed SiliconFlow takes.
const MAX_SEED: u64 = 9_999_999_999;

/// The options some non-OpenAI providers take.
fn check_extras(seed: Option<u64>, negative_prompt: &Option<String>, steps: Option<u32>, guidance: Option<f64>) -> Result<(), Error> {
    if seed.is_some_and(|s| s > MAX_SEED) {
        return Err(invalid(format!("seed must be between 0 and {MAX_SEED}.")));
    }
    if let Some(text) = negative_prompt {
        check_text("negative_prompt", text, MAX_PROMPT_CHARS)?;
    }
    if steps.is_some_and(|s| !(1..=100).contains(&s)) {
        return Err(invalid("num_inference_steps must be between 1 and 100."));
    }
    if guidance.is_some_and(|g| !(0.0..=100.0).contains(&g)) {
        return Err(invalid("guidance_scale must be between 0 and 100."));
    }
    Ok(())
}

/// `aspect_ratio`: "auto" or `W:H` with edges of one or two digits and at most one decimal
/// ("19.5:9"); `resolution`: a digit 1–8 and `k` or `K`. Which values a provider takes is its own
/// business (it answers its own 400); this keeps anything else off the wire.
fn check_size_terms(aspect_ratio: &Option<String>, resolution: &Option<String>) -> Result<(), Error> {
    let edge = |e: &str| {
        let (whole, fraction) = e.split_once('.').unwrap_or((e, "0"));
        (1..=2).contains(&whole.len()) && fraction.len() == 1 && whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) && !whole.starts_with('0')
    };
    if let Some(ratio) = aspect_ratio.as_deref() {
        let ok = ratio == "auto" || ratio.split_once(':').is_some_and(|(w, h)| edge(w) && edge(h));
        if !ok {
            return Err(invalid("aspect_ratio must be \"auto\" or WIDTH:HEIGHT, such as 16:9."));
        }
    }
    if let Some(resolution) = resolution.as_deref() {
        if !matches!(resolution.as_bytes(), [b'1'..=b'8', b'k' | b'K']) {
            return Err(invalid("resolution must be such as 1k, 2K or 4K."));
        }
    }
    Ok(())
}

impl GenerateRequest {
    /// Checks what we can check before sending.
    pub fn validate(&self) -> Result<(), Error> {
        check_extras(self.seed, &self.negative_prompt, self.num_inference_steps, self.guidance_scale)?;
        check_size_terms(&self.aspect_ratio, &self.resolution)?;
        check_request(
            Some(&self.model),
            &self.prompt,
            (self.n, 10),
            self.output_compression,
            &self.response_format,
            &[
                ("size", &self.size),
                ("quality", &self.quality),
                ("style", &self.style),
                ("output_format", &self.output_format),
                ("moderation", &self.moderation),
                ("background", &self.background),
                ("user", &self.user),
            ],
        )
    }
}

impl EditRequest {
    /// Checks and decodes the uploads: `(images, mask)`.
    pub fn validate(&self) -> Result<(Vec<Upload>, Option<Upload>), Error> {
        check_extras(self.seed, &self.negative_prompt, None, None)?;
        check_size_terms(&self.aspect_ratio, &self.resolution)?;
        check_request(
            self.model.as_deref(),
            &self.prompt,
            (self.n, 10),
            self.output_compression,
            &self.response_format,
            &[
                ("size", &self.size),
                ("quality", &self.quality),
                ("output_format", &self.output_format),
                ("moderation", &self.moderation),
                ("background", &self.background),
                ("input_fidelity", &self.input_fidelity),
                ("user", &self.user),
            ],
        )?;
        decode_uploads(&self.images, self.mask.as_ref(), 1)
    }
}

impl ResponsesRequest {
    /// Checks and decodes the uploads: `(images, mask)`.
    pub fn validate(&self) -> Result<(Vec<Upload>, Option<Upload>), Error> {
        check_request(
            Some(&self.model),
            &self.prompt,
            (self.n, 4),
            self.output_compression,
            &None,
            &[
                ("image_model", &self.image_model),
                ("size", &self.size),
                ("quality", &self.quality),
                ("output_format", &self.output_format),
                ("background", &self.background),
                ("moderation", &self.moderation),
                ("action", &self.action),
                ("input_fidelity", &self.input_fidelity),
            ],
        )?;
        if self.mask.is_some() && self.images.is_empty() {
            return Err(invalid("A mask needs at least one reference image."));
        }
        decode_uploads(&self.images, self.mask.as_ref(), 0)
    }
}

fn decode_uploads(
    images: &[ImageFile],
    mask: Option<&ImageFile>,
    min_images: usize,
) -> Result<(Vec<Upload>, Option<Upload>), Error> {
    if images.len() < min_images || images.len() > MAX_EDIT_IMAGES {
        return Err(invalid(format!("Send between {min_images} and {MAX_EDIT_IMAGES} reference images.")));
    }
    let uploads = images
        .iter()
        .enumerate()
        .map(|(i, image)| decode_upload(image, &format!("images[{i}]"), false))
        .collect::<Result<Vec<_>, _>>()?;
    let mask = match mask {
        None => None,
        Some(file) => {
            let mut upload = decode_upload(file, "mask", true)?;
            // The mask is named after the first image, as the OpenAI SDKs do.
            let first = uploads.first().map(|u| u.file_name.as_str()).unwrap_or("image");
            upload.file_name = format!("{}-mask.png", file_stem(first));
            Some(upload)
        }
    };
    Ok((uploads, mask))
}

fn decode_upload(file: &ImageFile, label: &str, is_mask: bool) -> Result<Upload, Error> {
    let field_name = match (file.field_name.as_deref(), is_mask) {
        (None, false) => "image[]",
        (None, true) | (Some("mask"), true) => "mask",
        (Some(name @ ("image" | "image[]")), false) => name,
        _ => return Err(invalid(format!("{label}.field_name must be \"image[]\" or \"image\" (\"mask\" for the mask)."))),
    };
    check_text(&format!("{label}.file_name"), &file.file_name, 255)?;
    let text = strip_data_url(&file.b64_json);
    // Whitespace is removed only when there is some, so the usual case copies nothing.
    let b64: Cow<'_, str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(text.chars().filter(|c| !c.is_ascii_whitespace()).collect())
    } else {
        Cow::Borrowed(text)
    };
    if b64.is_empty() {
        return Err(invalid(format!("{label}.b64_json is empty.")));
    }
    // Four base64 characters make at most three bytes: refuse before decoding anything.
    if b64.len() / 4 * 3 > MAX_IMAGE_BYTES + 3 {
        return Err(invalid(format!("{label} is larger than 50 MB.")));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| invalid(format!("{label}.b64_json is not valid base64.")))?;
    drop(b64);
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(invalid(format!("{label} is larger than 50 MB.")));
    }
    // The bytes decide the type; a declared type is checked against them, never trusted alone.
    let declared = match file.content_type.as_deref() {
        None => None,
        Some(declared) => Some(ImageKind::from_content_type(declared).ok_or_else(|| {
            invalid(format!("{label}.content_type must be image/png, image/jpeg or image/webp."))
        })?),
    };
    let kind = match (ImageKind::sniff(&bytes), declared) {
        (Some(sniffed), Some(declared)) if sniffed != declared => {
            return Err(invalid(format!("{label} is declared as {} but its bytes are {}.", declared.content_type(), sniffed.content_type())))
        }
        (Some(sniffed), _) => sniffed,
        (None, _) => return Err(invalid(format!("{label} is not a PNG, JPEG or WebP image."))),
    };
    if is_mask && kind != ImageKind::Png {
        return Err(invalid("The mask must be a PNG image."));
    }
    Ok(Upload { field_name: field_name.to_string(), file_name: safe_file_name(&file.file_name), content_type: kind.content_type().to_string(), bytes })
}

/// True when `text` starts with `data:` in any case. Compares bytes, so any text is safe.
pub(crate) fn is_data_url(text: &str) -> bool {
    text.as_bytes().get(..5).is_some_and(|head| head.eq_ignore_ascii_case(b"data:"))
}

fn strip_data_url(text: &str) -> &str {
    let trimmed = text.trim_start();
    if is_data_url(trimmed) {
        if let Some((_, rest)) = trimmed.split_once(',') {
            return rest;
        }
    }
    trimmed
}

/// Last path segment, with anything but `A-Z a-z 0-9 . _ -` and space replaced by `_`.
fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ') { c } else { '_' })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() { "image".to_string() } else { cleaned }
}

/// `photo.final.png` → `photo.final`.
fn file_stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(0) | None => name,
        Some(dot) => &name[..dot],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    fn file(name: &str) -> ImageFile {
        ImageFile { field_name: None, file_name: name.into(), content_type: None, b64_json: PNG_B64.into() }
    }

    #[test]
    fn mask_is_named_after_the_first_image_stem() {
        let (images, mask) = decode_uploads(&[file("C:\\pics\\cat.final.png"), file("dog.png")], Some(&file("whatever.png")), 1).unwrap();
        assert_eq!(images[0].file_name, "cat.final.png");
        assert_eq!(images[0].field_name, "image[]");
        let mask = mask.unwrap();
        assert_eq!(mask.file_name, "cat.final-mask.png");
        assert_eq!(mask.field_name, "mask");
        assert_eq!(mask.content_type, "image/png");
    }

    #[test]
    fn content_type_is_sniffed_and_data_url_prefixes_are_tolerated() {
        let mut f = file("x.bin");
        f.b64_json = format!("data:image/png;base64,{PNG_B64}");
        let (images, _) = decode_uploads(&[f], None, 1).unwrap();
        assert_eq!(images[0].content_type, "image/png");
        assert_eq!(base64::engine::general_purpose::STANDARD.encode(&images[0].bytes), PNG_B64);
    }

    #[test]
    fn size_terms_take_ratios_and_resolutions_and_nothing_else() {
        for ratio in ["auto", "16:9", "1:1", "19.5:9", "9:20"] {
            assert!(check_size_terms(&Some(ratio.into()), &None).is_ok(), "{ratio}");
        }
        for ratio in ["", "16x9", "16:", ":9", "0:1", "123:4", "1.25:1", "16:9 ", "auto:1", "16:9\n"] {
            assert!(check_size_terms(&Some(ratio.into()), &None).is_err(), "{ratio:?}");
        }
        for resolution in ["1k", "2k", "1K", "4K"] {
            assert!(check_size_terms(&None, &Some(resolution.into())).is_ok(), "{resolution}");
        }
        for resolution in ["", "0k", "9K", "2", "2KB", "k", "1024"] {
            assert!(check_size_terms(&None, &Some(resolution.into())).is_err(), "{resolution:?}");
        }
    }

    #[test]
    fn rejects_bad_uploads() {
        let mut not_b64 = file("a.png");
        not_b64.b64_json = "%%%".into();
        assert!(decode_uploads(&[not_b64], None, 1).is_err());
        let mut text = file("a.txt");
        text.b64_json = "aGVsbG8=".into();
        assert!(decode_uploads(&[text], None, 1).is_err());
        assert!(decode_uploads(&[], None, 1).is_err());
        let seventeen: Vec<ImageFile> = (0..17).map(|i| file(&format!("{i}.png"))).collect();
        assert!(decode_uploads(&seventeen, None, 1).is_err());
        let mut jpeg_mask = file("m.jpg");
        jpeg_mask.content_type = Some("image/jpeg".into());
        assert!(decode_uploads(&[file("a.png")], Some(&jpeg_mask), 1).is_err());
    }
}
