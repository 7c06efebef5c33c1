//! Images answered as links are fetched at once and kept as base64, so history keeps them after
//! the link expires (SiliconFlow's last an hour). A link is fetched only if it passed the output
//! URL rule (https, or http on loopback; no user info; none of the call's secrets), with neither
//! the key nor the profile's extra headers (they belong to the endpoint, and a link may point to
//! any origin), without following redirects, and under the call's answer size cap in all. The
//! provider ran the request by then, so every failure here says it may have run.

use std::sync::Arc;

use base64::Engine as _;

use crate::error::http::transport_error;
use crate::error::Error;
use crate::http::endpoint::is_acceptable_image_url;
use crate::http::transport::{Body, Method, OutboundRequest, Transport};
use crate::safety::redact::Redactor;
use crate::wire::answers::ImagesOut;
use crate::wire::image_kind::ImageKind;

/// Replaces every image link in `out` by the image's base64, or fails.
pub async fn keep(mut out: ImagesOut, transport: Arc<dyn Transport>, max_body: u64, redactor: &Redactor) -> Result<ImagesOut, Error> {
    let mut budget = max_body;
    for image in out.data.iter_mut() {
        let Some(link) = image.url.take() else { continue };
        let ran = |e: Error| e.with_sent(true).with_may_have_run(true).with_provider_request_id(out.provider_request_id.clone());
        let url = match url::Url::parse(&link) {
            Ok(url) if is_acceptable_image_url(&link) && !redactor.contains_secret(&link) => url,
            _ => {
                return Err(ran(Error::invalid_response("The endpoint returned an image URL that is not https; it was not used.").with_reason("insecure_url")));
            }
        };
        let response = transport.send(OutboundRequest::plain(Method::Get, url, Body::Empty), budget).await.map_err(|f| ran(transport_error(f, redactor)))?;
        if !(200..300).contains(&response.status) {
            return Err(ran(Error::invalid_response(format!(
                "The endpoint's image link answered HTTP {}; the image could not be kept.",
                response.status
            ))
            .with_status(response.status)));
        }
        if ImageKind::sniff(&response.body).is_none() {
            return Err(ran(Error::invalid_response("The endpoint's image link did not lead to a PNG, JPEG or WebP image.")));
        }
        budget = budget.saturating_sub(response.body.len() as u64);
        image.b64_json = Some(base64::engine::general_purpose::STANDARD.encode(&response.body));
    }
    Ok(out)
}
