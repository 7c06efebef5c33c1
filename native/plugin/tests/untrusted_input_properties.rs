//! Property: nothing that arrives from a provider or the frontend can panic the plugin. Every
//! answer reader (images, Responses, errors, model list) and every argument parser gets 10,000
//! cases of arbitrary UTF-8, arbitrary bytes and provider-shaped JSON whose every field may hold
//! multi-byte text; each must give a valid answer or a typed error whose message is redacted.
//! A panic would fail the case (proptest catches it); through the command path a caught panic
//! would show up as the `internal` code, which is asserted absent.

mod support;

use std::sync::{Arc, Mutex};

use managed_image_gateway::{
    check_request_id, edit_form, generation_body, http_error, is_acceptable_image_url, loggable_request_id, read_images, read_models,
    read_responses, retry_after_ms, BoxFuture, EditRequest, Endpoint, Error, GenerateRequest, ImagesOut,
    InboundResponse, ManagedImageGateway, OutboundRequest, Redactor, ResponsesRequest, Transport, TransportFailure,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use support::{Host, PNG_B64};

/// The stored key, planted in provider text: it must never come back.
const KEY: &str = "sk-planted-0123456789abcdef";

const CODES: &[&str] = &[
    "invalid_request", "unauthorized", "forbidden", "not_found", "rate_limited", "payload_too_large", "server_error",
    "timeout", "cancelled", "network", "invalid_response", "invalid_config", "key_origin_mismatch", "gateway_timeout",
];

fn config() -> ProptestConfig {
    ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text a provider or a frontend might send: anything, plus the shapes that broke byte slicing.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[a-d]{0,6}[€日🦀é][^\"]{0,12}",
        "(data|DATA|Data):[€日a-z/;=,+]{0,16}",
        "[A-Za-z0-9+/=\r\n]{0,40}",
        "https?://[a-z€.]{1,12}(:[0-9]{1,5})?/[^ ]{0,12}",
        Just(format!("Incorrect API key provided: {KEY}")),
        Just(PNG_B64.to_string()),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => text().prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| json!(f)),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ]
    .boxed()
}

/// A field value: a leaf, a list of leaves or a small object of leaves.
fn field() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => leaf(),
        1 => prop::collection::vec(leaf(), 0..3).prop_map(Value::Array),
        1 => prop::collection::btree_map(text(), leaf(), 0..3).prop_map(|m| Value::Object(m.into_iter().collect())),
    ]
    .boxed()
}

/// An object with some of `names` (each maybe absent) set to `value`s, plus maybe a stray key.
fn object_of(names: &'static [&'static str], value: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (prop::collection::vec(prop::option::of(value.clone()), names.len()), prop::option::of((text(), value))).prop_map(move |(values, stray)| {
        let mut map = Map::new();
        for (name, value) in names.iter().zip(values) {
            if let Some(value) = value {
                map.insert(name.to_string(), value);
            }
        }
        if let Some((name, value)) = stray {
            map.insert(name, value);
        }
        Value::Object(map)
    })
}

fn image_item() -> impl Strategy<Value = Value> {
    object_of(&["b64_json", "url", "revised_prompt"], field())
}

fn images_body() -> impl Strategy<Value = Value> {
    let data = prop_oneof![3 => prop::collection::vec(image_item(), 0..4).prop_map(Value::Array), 1 => field()];
    (object_of(&["created", "usage", "error"], field()), prop::option::of(data)).prop_map(|(mut body, data)| {
        if let (Value::Object(map), Some(data)) = (&mut body, data) {
            map.insert("data".into(), data);
        }
        body
    })
}

fn output_item() -> impl Strategy<Value = Value> {
    let kind = prop_oneof![Just(json!("image_generation_call")), Just(json!("message")), field()];
    let status = prop_oneof![Just(json!("completed")), Just(json!("failed")), field()];
    let content = prop::collection::vec(object_of(&["type", "text"], field()), 0..3).prop_map(Value::Array);
    (kind, status, object_of(&["result", "revised_prompt"], field()), content).prop_map(|(kind, status, mut item, content)| {
        if let Value::Object(map) = &mut item {
            map.insert("type".into(), kind);
            map.insert("status".into(), status);
            map.insert("content".into(), content);
        }
        item
    })
}

fn responses_body() -> impl Strategy<Value = Value> {
    (object_of(&["created_at", "usage", "error"], field()), prop::option::of(prop::collection::vec(output_item(), 0..4))).prop_map(
        |(mut body, output)| {
            if let (Value::Object(map), Some(output)) = (&mut body, output) {
                map.insert("output".into(), Value::Array(output));
            }
            body
        },
    )
}

fn error_body() -> impl Strategy<Value = Value> {
    (object_of(&["error", "detail", "title", "message", "request_id"], field()), object_of(&["message", "request_id", "requestId", "code", "type"], field()))
        .prop_map(|(mut body, error)| {
            if let Value::Object(map) = &mut body {
                map.entry("error").or_insert(error);
            }
            body
        })
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("content-type".to_string()),
        Just("x-request-id".to_string()),
        Just("request-id".to_string()),
        Just("cf-ray".to_string()),
        Just("retry-after".to_string()),
        Just("retry-after-ms".to_string()),
        "[a-z-]{1,12}",
    ];
    let value = prop_oneof![text(), Just("application/json".to_string()), Just("text/html".to_string()), "-?[0-9.eE+]{1,12}"];
    prop::collection::vec((name, value), 0..4)
}

/// A body: shaped JSON, arbitrary UTF-8, or arbitrary bytes.
fn body(shaped: impl Strategy<Value = Value>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => shaped.prop_map(|v| v.to_string().into_bytes()),
        1 => any::<String>().prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
}

fn response(status: impl Strategy<Value = u16>, shaped: impl Strategy<Value = Value>) -> impl Strategy<Value = InboundResponse> {
    (status, headers(), body(shaped)).prop_map(|(status, headers, body)| InboundResponse { status, headers, body })
}

fn redactor() -> Redactor {
    Redactor::new([KEY.to_string()])
}

/// A typed error: a known code, a short message, nothing planted in it.
fn assert_typed(error: &Error) -> Result<(), TestCaseError> {
    let message = &error.details().message;
    prop_assert!(CODES.contains(&error.code().as_str()), "code {}", error.code());
    prop_assert!(!message.is_empty() && message.chars().count() <= 400, "message {message:?}");
    prop_assert!(!message.contains(KEY), "the key leaked: {message:?}");
    if let Some(id) = &error.details().provider_request_id {
        prop_assert!(id.len() <= 200 && id.bytes().all(|b| b.is_ascii_graphic()), "request id {id:?}");
    }
    Ok(())
}

fn assert_images(out: &ImagesOut) -> Result<(), TestCaseError> {
    prop_assert!(!out.data.is_empty());
    for image in &out.data {
        match (&image.b64_json, &image.url) {
            (Some(b64), _) => prop_assert!(!b64.is_empty() && b64.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n".contains(&b))),
            (None, Some(url)) => prop_assert!(is_acceptable_image_url(url) && !url.contains(KEY), "url {url:?}"),
            (None, None) => prop_assert!(false, "an image without data"),
        }
    }
    // Provider text is scrubbed on its way into the answer.
    prop_assert!(!out.clone().into_result_json(&redactor()).to_string().contains(KEY));
    Ok(())
}

#[test]
fn images_answers_of_any_shape_become_images_or_typed_errors() {
    proptest!(config(), |(answer in response(prop_oneof![4 => Just(200u16), 1 => 100u16..600], images_body()))| {
        match read_images(answer, &redactor()) {
            Ok(out) => assert_images(&out)?,
            Err(error) => assert_typed(&error)?,
        }
    });
}

#[test]
fn responses_answers_of_any_shape_become_images_or_typed_errors() {
    proptest!(config(), |(answer in response(prop_oneof![4 => Just(200u16), 1 => 100u16..600], responses_body()))| {
        match read_responses(answer, &redactor()) {
            Ok(out) => assert_images(&out)?,
            Err(error) => assert_typed(&error)?,
        }
    });
}

#[test]
fn error_answers_of_any_shape_become_typed_errors() {
    proptest!(config(), |(answer in response(300u16..1000, error_body()))| {
        let error = http_error(&answer, &redactor());
        assert_typed(&error)?;
        prop_assert_eq!(error.details().status, Some(answer.status));
        let retry = retry_after_ms(&answer);
        prop_assert!(retry.is_none_or(|ms| ms <= 86_400_000));
    });
}

#[test]
fn model_lists_of_any_shape_give_short_ids() {
    let list = object_of(&["object"], field()).prop_flat_map(|base| {
        prop::collection::vec(object_of(&["id", "object", "owned_by"], field()), 0..6).prop_map(move |data| {
            let mut body = base.clone();
            body["data"] = Value::Array(data);
            body
        })
    });
    proptest!(config(), |(answer in response(Just(200u16), prop_oneof![list, field()]))| {
        let models = read_models(&answer);
        prop_assert!(models.ids.len() <= 200);
        prop_assert!(models.ids.iter().all(|id| id.len() <= 200));
        prop_assert!(models.listed || models.ids.is_empty());
        prop_assert_eq!(models.image.len(), models.ids.len());
    });
}

fn image_file() -> impl Strategy<Value = Value> {
    let b64 = prop_oneof![
        Just(json!(PNG_B64)),
        Just(json!(format!("data:image/png;base64,{PNG_B64}"))),
        Just(json!(format!("  {}\n{}  ", &PNG_B64[..20], &PNG_B64[20..]))),
        field(),
    ];
    let content_type = prop_oneof![Just(json!("image/png")), Just(json!("IMAGE/JPG")), field()];
    (object_of(&["field_name", "file_name"], field()), b64, prop::option::of(content_type)).prop_map(|(mut file, b64, content_type)| {
        file["b64_json"] = b64;
        if let Some(ct) = content_type {
            file["content_type"] = ct;
        }
        file
    })
}

fn request_object(names: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let images = prop::collection::vec(image_file(), 0..3).prop_map(Value::Array);
    (object_of(names, field()), prop::option::of(images), prop::option::of(image_file())).prop_map(|(mut request, images, mask)| {
        if let Some(images) = images {
            request["images"] = images;
        }
        if let Some(mask) = mask {
            request["mask"] = mask;
        }
        request
    })
}

const GENERATE_FIELDS: &[&str] =
    &["model", "prompt", "size", "n", "quality", "style", "output_format", "output_compression", "moderation", "response_format", "background", "user"];
const EDIT_FIELDS: &[&str] = &["model", "prompt", "size", "n", "quality", "output_format", "output_compression", "moderation", "response_format", "background", "input_fidelity", "user"];
const RESPONSES_FIELDS: &[&str] = &["model", "prompt", "image_model", "n", "size", "quality", "output_format", "output_compression", "background", "moderation", "action", "input_fidelity"];

#[test]
fn generation_requests_parse_and_validate_or_are_refused() {
    proptest!(config(), |(request in object_of(GENERATE_FIELDS, field()))| {
        if let Ok(parsed) = serde_json::from_value::<GenerateRequest>(request) {
            match parsed.validate() {
                Ok(()) => { generation_body(&parsed, None); }
                Err(error) => assert_typed(&error)?,
            }
        }
    });
}

#[test]
fn edit_requests_parse_and_decode_or_are_refused() {
    proptest!(config(), |(request in request_object(EDIT_FIELDS))| {
        if let Ok(parsed) = serde_json::from_value::<EditRequest>(request) {
            match parsed.validate() {
                Ok((images, mask)) => {
                    prop_assert!(!images.is_empty());
                    prop_assert!(mask.as_ref().is_none_or(|m| m.content_type == "image/png" && m.file_name.ends_with("-mask.png")));
                    edit_form(&parsed, images, mask, None);
                }
                Err(error) => assert_typed(&error)?,
            }
        }
    });
}

#[test]
fn responses_requests_parse_and_decode_or_are_refused() {
    proptest!(config(), |(request in request_object(RESPONSES_FIELDS))| {
        if let Ok(parsed) = serde_json::from_value::<ResponsesRequest>(request) {
            match parsed.validate() {
                Ok((images, mask)) => { managed_image_gateway::responses_body(&parsed, &images, mask.as_ref(), None); }
                Err(error) => assert_typed(&error)?,
            }
        }
    });
}

#[test]
fn base_urls_and_request_ids_of_any_text_are_checked_without_panicking() {
    proptest!(config(), |(input in text(), allow in any::<bool>())| {
        if let Ok(endpoint) = Endpoint::check(&input, allow) {
            prop_assert!(matches!(endpoint.base().scheme(), "https" | "http"));
            prop_assert!(endpoint.base().username().is_empty() && endpoint.base().password().is_none());
            endpoint.url_for("images/generations");
        }
        let id = loggable_request_id(&input);
        prop_assert!(check_request_id(&id).is_ok() || id == "[invalid]");
    });
}

/// Answers every call with an arbitrary provider answer.
#[derive(Default)]
struct AnyAnswer {
    next: Mutex<Option<InboundResponse>>,
}

impl Transport for AnyAnswer {
    fn send(&self, _request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        let answer = self.next.lock().unwrap().clone().unwrap_or_default();
        Box::pin(async move { Ok(answer) })
    }
}

#[test]
fn every_command_answers_arbitrary_arguments_and_answers_without_an_internal_error() {
    let transport = Arc::new(AnyAnswer::default());
    let host = Host::load_plugin(ManagedImageGateway::with_transport(transport.clone()));
    assert_eq!(host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "apiKey": KEY })).unwrap()["ok"], true);
    let commands = prop::sample::select(vec!["generate_images", "edit_images", "generate_via_responses", "test_connection", "list_models", "cancel_request", "api_key_status", "adopt_legacy_key"]);
    let request = prop_oneof![request_object(GENERATE_FIELDS), request_object(EDIT_FIELDS), request_object(RESPONSES_FIELDS), field()];
    let endpoint = prop_oneof![
        Just(json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "dialect": "images", "auth": "bearer" })),
        object_of(&["profileId", "baseUrl", "dialect", "auth", "deployment", "apiVersion", "editUpload", "allowInsecureHttp", "extraHeaders"], field())
    ];
    let request_id = prop_oneof![Just(json!("r-1")), field()];
    let args = (object_of(&["timeoutMs", "maxResponseBytes"], field()), request_id, endpoint, request).prop_map(|(mut args, id, endpoint, request)| {
        args["requestId"] = id;
        args["endpoint"] = endpoint;
        args["request"] = request;
        args
    });
    let answer = response(prop_oneof![3 => Just(200u16), 1 => 100u16..600], prop_oneof![images_body(), responses_body(), error_body()]);
    let config = ProptestConfig { cases: 2_000, ..config() };
    proptest!(config, |(command in commands, args in args, answer in answer)| {
        *transport.next.lock().unwrap() = Some(answer);
        host.ctx.logs.lock().unwrap().clear();
        match host.invoke(command, args) {
            Ok(value) => {
                prop_assert_ne!(&value["error"]["code"], &json!("internal"), "a panic was caught: {}", value);
                prop_assert!(!value.to_string().contains(KEY));
            }
            Err(error) => prop_assert!(matches!(error, hf_plugin_api::PluginError::Serialization(_)), "{}", error),
        }
        prop_assert!(!host.ctx.log_lines().concat().contains(KEY));
    });
}
