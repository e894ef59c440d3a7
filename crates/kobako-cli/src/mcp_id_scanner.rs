//! Finding the top-level `id` of a JSON-RPC message that is too long to
//! parse: a byte-at-a-time scan in constant memory, so the error answering
//! an over-long line can still name the request it refuses.

use rmcp::model::RequestId;

/// The longest `id` value kept, in bytes; a longer one is not recovered.
const MAX_ID_BYTES: usize = 128;

/// Scans a JSON object as it streams by and keeps the value of its
/// top-level `id` key. It never holds more than [`MAX_ID_BYTES`], however
/// long the input.
#[derive(Debug, Default)]
pub(crate) struct IdScanner {
    /// Open objects and arrays around the current byte.
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// At the top level, the next string starts a key.
    expecting_key: bool,
    /// Inside a top-level key: how many bytes of it, and whether they spell
    /// `id` so far.
    key: Option<(usize, bool)>,
    /// The last top-level key read was `id`.
    key_is_id: bool,
    /// The raw bytes of the `id` value being read, if one is.
    value: Option<Vec<u8>>,
    /// The last complete `id` value seen.
    found: Option<RequestId>,
}

impl IdScanner {
    /// Reads the next bytes of the message.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.step(byte);
        }
    }

    /// The message's `id`, if a complete number or string one was seen.
    pub(crate) fn id(self) -> Option<RequestId> {
        self.found
    }

    fn step(&mut self, byte: u8) {
        if self.in_string {
            self.keep(byte);
            self.step_in_string(byte);
            return;
        }
        let top_level = self.depth == 1;
        match byte {
            b'"' => {
                self.in_string = true;
                if top_level && self.expecting_key {
                    self.expecting_key = false;
                    self.key = Some((0, true));
                }
                self.keep(byte);
            }
            b'{' | b'[' => {
                self.keep(byte);
                self.depth = self.depth.saturating_add(1);
                self.expecting_key = self.depth == 1 && byte == b'{';
            }
            b'}' | b']' if top_level => {
                self.finish_value();
                self.depth = 0;
            }
            b'}' | b']' => {
                self.keep(byte);
                self.depth = self.depth.saturating_sub(1);
            }
            b',' if top_level => {
                self.finish_value();
                self.expecting_key = true;
            }
            b':' if top_level && self.key_is_id => {
                self.key_is_id = false;
                self.value = Some(Vec::new());
            }
            _ => self.keep(byte),
        }
    }

    /// One byte inside a string (after it has been kept, if a value is read).
    fn step_in_string(&mut self, byte: u8) {
        if self.escaped {
            self.escaped = false;
        } else if byte == b'"' {
            self.in_string = false;
            if let Some((length, matches)) = self.key.take() {
                self.key_is_id = matches && length == 2;
            }
            return;
        } else if byte == b'\\' {
            self.escaped = true;
        }
        if let Some((length, matches)) = &mut self.key {
            *matches &= b"id".get(*length) == Some(&byte);
            *length = length.saturating_add(1);
        }
    }

    /// Adds `byte` to the `id` value being read; a value grown too long is
    /// given up.
    fn keep(&mut self, byte: u8) {
        if let Some(value) = &mut self.value {
            if value.len() < MAX_ID_BYTES {
                value.push(byte);
            } else {
                self.value = None;
            }
        }
    }

    /// A top-level `,` or the closing brace ended the value being read.
    fn finish_value(&mut self) {
        if let Some(value) = self.value.take()
            && let Ok(id) = serde_json::from_slice::<RequestId>(&value)
        {
            self.found = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Option<RequestId> {
        let mut scanner = IdScanner::default();
        // Fed in small pieces, as a line arrives from a pipe.
        for chunk in text.as_bytes().chunks(7) {
            scanner.feed(chunk);
        }
        scanner.id()
    }

    #[test]
    fn finds_the_id_first_last_or_between() {
        assert_eq!(scan(r#"{"id": 7, "method": "x"}"#), Some(RequestId::Number(7)));
        assert_eq!(
            scan(r#"{"method":"x","params":{"id":1,"a":[{"id":2}]},"jsonrpc":"2.0","id":"abc"}"#),
            Some(RequestId::String("abc".into()))
        );
        assert_eq!(
            scan(r#"{"a":"}\"id\":","id" : -3 ,"b":1}"#),
            Some(RequestId::Number(-3))
        );
    }

    #[test]
    fn nested_escaped_odd_or_unfinished_ids_are_not_recovered() {
        assert_eq!(scan(r#"{"params":{"id":1}}"#), None);
        assert_eq!(scan(r#"{"i\u0064":1}"#), None);
        assert_eq!(scan(r#"{"idx":1,"xid":2}"#), None);
        assert_eq!(scan(r#"{"id":{"n":1}}"#), None);
        assert_eq!(scan(r#"{"id":null}"#), None);
        assert_eq!(scan(r#"{"id":12"#), None);
        let long = format!(r#"{{"id":"{}"}}"#, "x".repeat(MAX_ID_BYTES * 4));
        assert_eq!(scan(&long), None);
        assert_eq!(scan("aaaa"), None);
    }
}
