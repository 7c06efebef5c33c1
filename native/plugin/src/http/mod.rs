//! Talking HTTP to the custom endpoint: [`endpoint`] (base URL rules, which image URLs may be
//! returned) and [`transport`] (one exchange behind a trait; reqwest and rustls).

pub mod endpoint;
pub mod transport;
