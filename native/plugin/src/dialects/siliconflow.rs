//! SiliconFlow: `POST images/generations` with its own names — `size` → `image_size` ("WxH"),
//! `n` → `batch_size` (1–4), and `seed`, `negative_prompt`, `num_inference_steps`,
//! `guidance_scale` as they are. Edits are image-to-image on the same path: the reference images
//! as data URLs in `image`, `image2`, `image3`. It answers `{ images: [{ url }] }` and does not
//! stream; OpenAI's quality, style, format, background, moderation and masks, and xAI's
//! `aspect_ratio` and `resolution`, have no field there.

use serde::Serialize;

use super::{refuse_set, Dialect, Prepared, Target};
use crate::error::Error;
use crate::wire::bodies::data_url;
use crate::wire::events::StreamApi;
use crate::wire::requests::{EditRequest, GenerateRequest, Upload};
use crate::wire::siliconflow::read_siliconflow;

/// SiliconFlow's image API.
pub struct SiliconFlow;

/// Most images per call (`batch_size`).
const MAX_BATCH: u32 = 4;
/// Most reference images (`image`, `image2`, `image3`).
const MAX_REFERENCES: usize = 3;

#[derive(Serialize)]
struct Body<'a> {
    model: &'a str,
    prompt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_prompt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_size: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    num_inference_steps: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    guidance_scale: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image3: Option<String>,
}

/// What every SiliconFlow call refuses.
fn refuse_common(stream: Option<u32>, n: Option<u32>, response_format: &Option<String>, options: &[(&'static str, bool)]) -> Result<(), Error> {
    refuse_set("siliconflow", &[("stream", stream.is_some()), ("response_format", response_format.as_deref().is_some_and(|f| f != "url"))])?;
    refuse_set("siliconflow", options)?;
    if n.is_some_and(|n| n > MAX_BATCH) {
        return Err(Error::invalid_request(format!("n must be between 1 and {MAX_BATCH} for SiliconFlow.")));
    }
    Ok(())
}

fn prepared(target: &Target, body: &Body<'_>) -> Prepared {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    Prepared { request: target.post_json(target.url_for("images/generations"), bytes), read_plain: read_siliconflow, stream_api: StreamApi::Images }
}

impl Dialect for SiliconFlow {
    fn name(&self) -> &'static str {
        "siliconflow"
    }

    fn generate(&self, target: &Target, r: &GenerateRequest, stream: Option<u32>) -> Result<Prepared, Error> {
        refuse_common(stream, r.n, &r.response_format, &[
            ("quality", r.quality.is_some()),
            ("style", r.style.is_some()),
            ("output_format", r.output_format.is_some()),
            ("output_compression", r.output_compression.is_some()),
            ("moderation", r.moderation.is_some()),
            ("background", r.background.is_some()),
            ("user", r.user.is_some()),
            ("aspect_ratio", r.aspect_ratio.is_some()),
            ("resolution", r.resolution.is_some()),
        ])?;
        let body = Body {
            model: &r.model,
            prompt: &r.prompt,
            negative_prompt: r.negative_prompt.as_deref(),
            image_size: r.size.as_deref(),
            batch_size: r.n,
            seed: r.seed,
            num_inference_steps: r.num_inference_steps,
            guidance_scale: r.guidance_scale,
            image: None,
            image2: None,
            image3: None,
        };
        Ok(prepared(target, &body))
    }

    fn edit(&self, target: &Target, r: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        refuse_common(stream, r.n, &r.response_format, &[
            ("mask", mask.is_some()),
            ("images", images.len() > MAX_REFERENCES),
            ("quality", r.quality.is_some()),
            ("output_format", r.output_format.is_some()),
            ("output_compression", r.output_compression.is_some()),
            ("moderation", r.moderation.is_some()),
            ("background", r.background.is_some()),
            ("input_fidelity", r.input_fidelity.is_some()),
            ("user", r.user.is_some()),
            ("aspect_ratio", r.aspect_ratio.is_some()),
            ("resolution", r.resolution.is_some()),
        ])?;
        let Some(model) = r.model.as_deref() else {
            return Err(Error::invalid_request("model is required for SiliconFlow."));
        };
        let mut urls = images.iter().map(data_url);
        let body = Body {
            model,
            prompt: &r.prompt,
            negative_prompt: r.negative_prompt.as_deref(),
            image_size: r.size.as_deref(),
            batch_size: r.n,
            seed: r.seed,
            num_inference_steps: None,
            guidance_scale: None,
            image: urls.next(),
            image2: urls.next(),
            image3: urls.next(),
        };
        Ok(prepared(target, &body))
    }
}
