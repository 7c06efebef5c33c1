//! `request_progress` (the partial images a streaming call has received) and `cancel_request`.

use hf_plugin_api::{PluginContext, PluginError};
use serde_json::{json, Value};

use super::args::{CancelArgs, ProgressArgs};
use super::{parse, Shared};

pub(super) fn request_progress(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let args: ProgressArgs = parse("request_progress", args, ctx, &shared.custody.redactor())?;
    let progress = shared.runtime.progress().take(&args.request_id, args.after.unwrap_or(0));
    let partials: Vec<Value> = progress
        .partials
        .into_iter()
        .map(|(seq, partial)| {
            let mut item = json!({ "seq": seq, "imageIndex": partial.image_index, "partialIndex": partial.partial_index, "b64_json": partial.b64_json });
            if let Some(format) = partial.output_format {
                item["outputFormat"] = json!(format);
            }
            item
        })
        .collect();
    Ok(json!({ "ok": true, "requestId": args.request_id, "state": progress.state, "lastSeq": progress.last_seq, "partials": partials }))
}

pub(super) fn cancel_request(shared: &Shared, args: Value, _ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let args: CancelArgs = serde_json::from_value(args)
        .map_err(|e| PluginError::Serialization(format!("cancel_request: invalid arguments: {e}")))?;
    let cancelled = shared.runtime.registry().cancel(&args.request_id);
    Ok(json!({ "ok": true, "cancelled": cancelled }))
}

