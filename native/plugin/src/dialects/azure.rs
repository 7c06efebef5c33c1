//! Azure OpenAI's classic form: `…/openai/deployments/{deployment}/images/{generations|edits}
//! ?api-version=…`, the key in the `api-key` header (the profile's `auth`), and for the
//! Responses API `…/openai/responses?api-version=…` with the image tool's deployment in the
//! `x-ms-oai-image-generation-deployment` header (without it Azure answers a bare 400). The
//! answers have OpenAI's shapes. Azure's v1 base (`…/openai/v1`) is the `images` dialect with
//! `api-key` auth.

use url::Url;

use super::images::edit_request;
use super::{Dialect, Prepared, Target};
use crate::error::Error;
use crate::wire::answers::{read_images, read_responses};
use crate::wire::bodies;
use crate::wire::events::StreamApi;
use crate::wire::requests::{EditRequest, GenerateRequest, ResponsesRequest, Upload};

/// Azure OpenAI, classic deployment paths.
pub struct Azure;

/// The header naming the image tool's deployment on Azure's Responses API.
pub const IMAGE_DEPLOYMENT_HEADER: &str = "x-ms-oai-image-generation-deployment";

/// The path before `/openai`: a pasted `/openai/…` path is cut there, and the `/v1` put in for
/// an empty path means the resource's root.
fn root(target: &Target) -> String {
    let path = target.endpoint.base().path();
    match path.find("/openai") {
        Some(at) => path[..at].to_string(),
        None if path == "/v1" => String::new(),
        None => path.trim_end_matches('/').to_string(),
    }
}

fn url(target: &Target, tail: &str) -> Url {
    target.endpoint.url_with_path(&format!("{}/openai/{tail}", root(target)))
}

fn deployment(target: &Target) -> &str {
    target.deployment.as_deref().unwrap_or_default()
}

impl Dialect for Azure {
    fn name(&self) -> &'static str {
        "azure"
    }

    fn generate(&self, target: &Target, request: &GenerateRequest, stream: Option<u32>) -> Result<Prepared, Error> {
        let url = url(target, &format!("deployments/{}/images/generations", deployment(target)));
        Ok(Prepared { request: target.post_json(url, bodies::generation_body(request, stream)), read_plain: read_images, stream_api: StreamApi::Images })
    }

    fn edit(&self, target: &Target, request: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        let url = url(target, &format!("deployments/{}/images/edits", deployment(target)));
        edit_request(self.name(), target, url, request, images, mask, stream)
    }

    fn responses(&self, target: &Target, request: &ResponsesRequest, images: &[Upload], mask: Option<&Upload>, stream: Option<u32>) -> Result<Prepared, Error> {
        let mut outbound = target.post_json(url(target, "responses"), bodies::responses_body(request, images, mask, stream));
        outbound.headers.push((IMAGE_DEPLOYMENT_HEADER.to_string(), deployment(target).to_string()));
        Ok(Prepared { request: outbound, read_plain: read_responses, stream_api: StreamApi::Responses })
    }

    fn models(&self, target: &Target) -> Option<crate::http::transport::OutboundRequest> {
        Some(target.get(url(target, "models")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::target::EndpointArgs;
    use crate::wire::requests::GenerateRequest;

    fn target(base: &str) -> Target {
        let args: EndpointArgs = serde_json::from_value(serde_json::json!({
            "profileId": "work", "baseUrl": base, "dialect": "azure", "auth": "api-key",
            "deployment": "img-1", "apiVersion": "2025-04-01-preview"
        }))
        .unwrap();
        Target::check(&args, Some("azure-key-0001".into())).unwrap()
    }

    #[test]
    fn classic_paths_carry_the_deployment_and_the_api_version_whatever_the_base_path() {
        let request: GenerateRequest = serde_json::from_value(serde_json::json!({ "model": "gpt-image-1", "prompt": "p" })).unwrap();
        for base in ["https://r.openai.azure.com", "https://r.openai.azure.com/openai", "https://r.openai.azure.com/openai/deployments/old/images/generations?api-version=x"] {
            let prepared = Azure.generate(&target(base), &request, None).unwrap();
            assert_eq!(
                prepared.request.url.as_str(),
                "https://r.openai.azure.com/openai/deployments/img-1/images/generations?api-version=2025-04-01-preview",
                "{base}"
            );
            let credential = prepared.request.credential.unwrap();
            assert_eq!((credential.header, credential.value.as_str()), ("api-key", "azure-key-0001"));
        }
    }
}
