//! SiliconFlow's image answer: `{ images: [{ url }], timings: { inference }, seed }`. The URLs
//! expire after an hour (the call path fetches them at once); an empty URL means the prompt was
//! refused. Its errors are `{ code, message, data }`, which the common error reader quotes.

use serde_json::Value;

use super::answers::{accept_image, ImagesOut};
use super::echo::Echo;
use crate::error::http::{http_error, provider_request_id};
use crate::error::Error;
use crate::http::transport::InboundResponse;
use crate::safety::redact::Redactor;

/// The provider's request id header.
const TRACE_HEADER: &str = "x-siliconcloud-trace-id";

/// Reads a 2xx answer of SiliconFlow's `images/generations`.
pub fn read_siliconflow(response: InboundResponse, redactor: &Redactor) -> Result<ImagesOut, Error> {
    if !(200..300).contains(&response.status) {
        return Err(http_error(&response, redactor));
    }
    let request_id = provider_request_id(&response, None, redactor)
        .or_else(|| response.header(TRACE_HEADER).filter(|id| id.len() <= 200 && id.bytes().all(|b| b.is_ascii_graphic())).map(|id| redactor.remove_secrets(id)));
    let status = response.status;
    let fail = |e: Error| e.with_status(status).with_provider_request_id(request_id.clone());
    let body: Value = serde_json::from_slice(&response.body).map_err(|_| fail(Error::invalid_response("The endpoint's answer is not the JSON we expect.")))?;
    drop(response);
    let Some(images) = body.get("images").and_then(Value::as_array) else {
        return Err(fail(Error::invalid_response("The endpoint's answer has no images[] list.")));
    };
    let urls: Vec<String> = images.iter().filter_map(|i| i.get("url").and_then(Value::as_str)).filter(|u| !u.is_empty()).map(str::to_string).collect();
    if urls.is_empty() {
        // SiliconFlow answers an empty URL for a prompt it refused.
        return Err(fail(Error::invalid_response("The endpoint returned no image; it may have refused the prompt.").with_reason("no_image")));
    }
    let data = urls.into_iter().map(|url| accept_image(None, Some(url), None, redactor)).collect::<Result<Vec<_>, _>>().map_err(fail)?;
    // The answer's `seed` is the one it used (chosen by the provider when the request had none).
    let echo = Echo::read(&body, redactor);
    Ok(ImagesOut { created: None, data, provider_request_id: request_id, status, usage: None, echo, stream_fallback: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::transport::tests::answer;

    #[test]
    fn urls_become_images_and_an_empty_url_is_a_refusal() {
        let body = r#"{"images":[{"url":"https://sc-maas.example.com/out.png?sig=1"}],"timings":{"inference":1.2},"seed":42}"#;
        let out = read_siliconflow(answer(200, &[("x-siliconcloud-trace-id", "tr-1")], body), &Redactor::default()).unwrap();
        assert_eq!(out.data[0].url.as_deref(), Some("https://sc-maas.example.com/out.png?sig=1"));
        assert_eq!(out.provider_request_id.as_deref(), Some("tr-1"));
        assert_eq!(out.echo.map(|echo| echo.to_json()), Some(serde_json::json!({ "seed": 42 })));
        let refused = read_siliconflow(answer(200, &[], r#"{"images":[{"url":""}],"seed":1}"#), &Redactor::default()).unwrap_err();
        assert_eq!(refused.details().reason, Some("no_image"));
    }
}
