//! Chat completions with image output (OpenRouter and similar have no Images API):
//! `POST chat/completions` with `modalities: ["image", "text"]` and one user message (the prompt,
//! and for edits the reference images as `image_url` data URLs). Streaming sends `stream: true`;
//! the images arrive whole in `delta.images` (no partial previews). Chat has no fields for
//! size, quality, format, background, moderation, masks or several images per call: those
//! options are refused. `response_format: "b64_json"` is what chat answers anyway. An aspect
//! ratio and resolution go out as OpenRouter's `image_config` (`aspect_ratio`, `image_size`
//! "1K"/"2K"/"4K"), which its Gemini image models take.

use serde::Serialize;

use super::{refuse_set, Dialect, Prepared, Target};
use crate::error::Error;
use crate::wire::bodies::data_url;
use crate::wire::chat::read_chat;
use crate::wire::events::StreamApi;
use crate::wire::requests::{EditRequest, GenerateRequest, Upload};

/// Chat completions.
pub struct Chat;

#[derive(Serialize)]
struct ChatBody<'a> {
    model: &'a str,
    messages: [Message<'a>; 1],
    modalities: [&'static str; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    image_config: Option<ImageConfig<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
}

#[derive(Serialize)]
struct ImageConfig<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    aspect_ratio: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_size: Option<&'a str>,
}

/// The sizes `image_config.image_size` takes.
const IMAGE_SIZES: [&str; 3] = ["1K", "2K", "4K"];

/// `image_config` from the request's ratio and resolution, when either is given.
fn image_config<'a>(aspect_ratio: Option<&'a str>, resolution: Option<&'a str>) -> Result<Option<ImageConfig<'a>>, Error> {
    if resolution.is_some_and(|size| !IMAGE_SIZES.contains(&size)) {
        return Err(Error::invalid_request("resolution must be 1K, 2K or 4K for chat image_config."));
    }
    Ok((aspect_ratio.is_some() || resolution.is_some()).then_some(ImageConfig { aspect_ratio, image_size: resolution }))
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: Content<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Content<'a> {
    Text(&'a str),
    Parts(Vec<Part<'a>>),
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Part<'a> {
    Text { text: &'a str },
    ImageUrl { image_url: Url },
}

#[derive(Serialize)]
struct Url {
    url: String,
}

/// The options every chat call refuses, by OpenAI name.
fn refuse_common(n: Option<u32>, response_format: &Option<String>, options: &[(&'static str, bool)]) -> Result<(), Error> {
    refuse_set("chat", &[("n", n.is_some_and(|n| n != 1)), ("response_format", response_format.as_deref().is_some_and(|f| f != "b64_json"))])?;
    refuse_set("chat", options)
}

fn prepared(target: &Target, body: &ChatBody<'_>) -> Prepared {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    Prepared { request: target.post_json(target.url_for("chat/completions"), bytes), read_plain: read_chat, stream_api: StreamApi::Chat }
}

impl Dialect for Chat {
    fn name(&self) -> &'static str {
        "chat"
    }

    fn generate(&self, target: &Target, r: &GenerateRequest, stream: Option<u32>) -> Result<Prepared, Error> {
        refuse_common(r.n, &r.response_format, &[
            ("size", r.size.is_some()),
            ("quality", r.quality.is_some()),
            ("style", r.style.is_some()),
            ("output_format", r.output_format.is_some()),
            ("output_compression", r.output_compression.is_some()),
            ("moderation", r.moderation.is_some()),
            ("background", r.background.is_some()),
            ("negative_prompt", r.negative_prompt.is_some()),
            ("num_inference_steps", r.num_inference_steps.is_some()),
            ("guidance_scale", r.guidance_scale.is_some()),
        ])?;
        let body = ChatBody {
            model: &r.model,
            messages: [Message { role: "user", content: Content::Text(&r.prompt) }],
            modalities: ["image", "text"],
            image_config: image_config(r.aspect_ratio.as_deref(), r.resolution.as_deref())?,
            seed: r.seed,
            user: r.user.as_deref(),
            stream: stream.map(|_| true),
        };
        Ok(prepared(target, &body))
    }

    fn edit(&self, target: &Target, r: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        refuse_common(r.n, &r.response_format, &[
            ("mask", mask.is_some()),
            ("size", r.size.is_some()),
            ("quality", r.quality.is_some()),
            ("output_format", r.output_format.is_some()),
            ("output_compression", r.output_compression.is_some()),
            ("moderation", r.moderation.is_some()),
            ("background", r.background.is_some()),
            ("input_fidelity", r.input_fidelity.is_some()),
            ("negative_prompt", r.negative_prompt.is_some()),
        ])?;
        let Some(model) = r.model.as_deref() else {
            return Err(Error::invalid_request("model is required for chat completions."));
        };
        let parts = std::iter::once(Part::Text { text: &r.prompt })
            .chain(images.iter().map(|image| Part::ImageUrl { image_url: Url { url: data_url(image) } }))
            .collect();
        drop(images);
        let body = ChatBody {
            model,
            messages: [Message { role: "user", content: Content::Parts(parts) }],
            modalities: ["image", "text"],
            image_config: image_config(r.aspect_ratio.as_deref(), r.resolution.as_deref())?,
            seed: r.seed,
            user: r.user.as_deref(),
            stream: stream.map(|_| true),
        };
        Ok(prepared(target, &body))
    }
}
