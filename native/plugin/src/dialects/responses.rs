//! OpenAI's Responses API: `POST responses` with the `image_generation` tool for generation;
//! edits go to the same endpoint's Images API (`images/edits`), as before dialects existed.

use super::images::Images;
use super::{Dialect, Prepared, Target};
use crate::error::Error;
use crate::wire::answers::read_responses;
use crate::wire::bodies;
use crate::wire::events::StreamApi;
use crate::wire::requests::{EditRequest, GenerateRequest, ResponsesRequest, Upload};

/// The Responses API.
pub struct Responses;

impl Dialect for Responses {
    fn name(&self) -> &'static str {
        "responses"
    }

    fn generate(&self, _target: &Target, _request: &GenerateRequest, _stream: Option<u32>) -> Result<Prepared, Error> {
        Err(Error::invalid_request("This endpoint is set to the Responses API; call generate_via_responses."))
    }

    fn edit(&self, target: &Target, request: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        Images.edit(target, request, images, mask, stream)
    }

    fn responses(&self, target: &Target, request: &ResponsesRequest, images: &[Upload], mask: Option<&Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        let body = bodies::responses_body(request, images, mask, stream);
        Ok(Prepared { request: target.post_json(target.url_for("responses"), body), read_plain: read_responses, stream_api: StreamApi::Responses })
    }
}
