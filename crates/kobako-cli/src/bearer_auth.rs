//! Bearer-token authentication for `kobako serve`. Only the SHA-256 digest of
//! the token is kept, and a presented token is hashed and compared to it in
//! constant time, so neither its bytes nor its length leak through timing.

use std::env::VarError;
use std::path::Path;

use hyper::HeaderMap;
use hyper::header::AUTHORIZATION;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The token clients must present, as its SHA-256 digest.
pub(crate) struct BearerToken {
    digest: [u8; 32],
}

impl BearerToken {
    /// The token `secret`; `None` when it is empty.
    fn new(secret: &str) -> Option<BearerToken> {
        (!secret.is_empty()).then(|| BearerToken {
            digest: Sha256::digest(secret.as_bytes()).into(),
        })
    }

    /// The token held in the file at `path`, without its trailing newline.
    /// The error names `--token-file` and never shows the file's contents.
    pub(crate) fn from_file(path: &Path) -> Result<BearerToken, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--token-file {}: cannot read it: {e}", path.display()))?;
        BearerToken::new(text.trim_end_matches(['\r', '\n'])).ok_or_else(|| {
            format!(
                "--token-file {}: the file is empty; put the bearer token in it",
                path.display()
            )
        })
    }

    /// The token held in the environment variable `name` (from the
    /// manifest's `[serve] token_env`).
    pub(crate) fn from_env(name: &str) -> Result<BearerToken, String> {
        let value = std::env::var(name).map_err(|e| {
            let why = match e {
                VarError::NotPresent => "not set",
                VarError::NotUnicode(_) => "not UTF-8",
            };
            format!(
                "the environment variable {name} (`serve.token_env`) is {why}; set it to the bearer token"
            )
        })?;
        BearerToken::new(&value).ok_or_else(|| {
            format!(
                "the environment variable {name} (`serve.token_env`) is empty; set it to the bearer token"
            )
        })
    }

    /// Whether `headers` carry `Authorization: Bearer TOKEN` with this token.
    pub(crate) fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(presented) = headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer_credentials)
        else {
            return false;
        };
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        digest[..].ct_eq(&self.digest[..]).into()
    }
}

/// The credentials of a `Bearer` authorization value (the scheme is
/// case-insensitive, RFC 9110).
fn bearer_credentials(value: &str) -> Option<&str> {
    let (scheme, credentials) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| credentials.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn headers(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
        headers
    }

    #[test]
    fn only_the_same_token_is_admitted() {
        let token = BearerToken::new("s3cret").unwrap();
        assert!(token.admits(&headers("Bearer s3cret")));
        assert!(token.admits(&headers("bearer s3cret")));
        assert!(!token.admits(&headers("Bearer s3cre")));
        assert!(!token.admits(&headers("Bearer s3cret2")));
        assert!(!token.admits(&headers("Basic s3cret")));
        assert!(!token.admits(&HeaderMap::new()));
        assert!(BearerToken::new("").is_none());
    }
}
