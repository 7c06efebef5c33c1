//! The OpenAI-compatible wire formats: [`requests`] (what the frontend asks for, validated),
//! [`bodies`] (what goes out), [`answers`] and [`events`] (what comes back, plain or streamed,
//! through [`sse`]; [`chat`] and [`siliconflow`] for those providers' answers), [`usage`], [`echo`] (what the answer says it made) and [`image_kind`] (PNG, JPEG or WebP by their first bytes).

pub mod answers;
pub mod bodies;
pub mod chat;
pub mod echo;
pub mod events;
pub mod image_kind;
pub mod requests;
pub mod siliconflow;
pub mod sse;
pub mod usage;
