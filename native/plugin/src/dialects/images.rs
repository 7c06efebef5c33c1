//! OpenAI's Images API: `POST images/generations` (JSON) and `POST images/edits`, as multipart
//! or, with `editUpload: "json"`, as JSON with `images: [{ image_url }]` data URLs (OpenAI's own
//! spec has that form, and it survives relays that mangle multipart). Google Gemini's
//! OpenAI-compatible base and OpenAI-format relays speak it too; which fields such a provider
//! takes is its preset's business (the panel sends only those), so this dialect sends every
//! field that is set.

use super::{Dialect, Prepared, Target};
use super::EditUpload;
use crate::error::Error;
use crate::http::transport::{Body, Method};
use crate::wire::answers::read_images;
use crate::wire::bodies;
use crate::wire::events::StreamApi;
use crate::wire::requests::{EditRequest, GenerateRequest, Upload};

/// The Images API.
pub struct Images;

/// The Images API's edit at `url`, in the profile's upload form.
pub(crate) fn edit_request(dialect: &str, target: &Target, url: url::Url, request: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
    let body = match target.edit_upload {
        EditUpload::Multipart => Body::Multipart(bodies::edit_form(request, images, mask, stream)),
        EditUpload::Json => {
            if request.response_format.is_some() {
                return Err(Error::unsupported_option(dialect, "response_format"));
            }
            Body::Json(bodies::edit_json_body(request, &images, mask.as_ref(), stream))
        }
    };
    Ok(Prepared { request: target.request(Method::Post, url, body), read_plain: read_images, stream_api: StreamApi::Images })
}

impl Dialect for Images {
    fn name(&self) -> &'static str {
        "images"
    }

    fn generate(&self, target: &Target, request: &GenerateRequest, stream: Option<u32>) -> Result<Prepared, Error> {
        let body = bodies::generation_body(request, stream);
        Ok(Prepared { request: target.post_json(target.url_for("images/generations"), body), read_plain: read_images, stream_api: StreamApi::Images })
    }

    fn edit(&self, target: &Target, request: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        edit_request(self.name(), target, target.url_for("images/edits"), request, images, mask, stream)
    }
}
