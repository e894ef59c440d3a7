//! One captured output channel (stdout or stderr) with its byte limit.

/// Keeps the first `limit` bytes written to a channel and remembers whether
/// anything was dropped. Writes never fail.
#[derive(Debug)]
pub(crate) struct OutputCapture {
    bytes: Vec<u8>,
    limit: Option<usize>,
    truncated: bool,
}

impl OutputCapture {
    pub(crate) fn new(limit: Option<usize>) -> Self {
        OutputCapture {
            bytes: Vec::new(),
            limit,
            truncated: false,
        }
    }

    /// Room left before the limit (`usize::MAX` when unlimited).
    pub(crate) fn room(&self) -> usize {
        self.limit.map_or(usize::MAX, |limit| limit - self.bytes.len())
    }

    /// Appends what fits and flags the rest as dropped.
    pub(crate) fn write(&mut self, chunk: &[u8]) {
        let keep = chunk.len().min(self.room());
        self.bytes.extend_from_slice(&chunk[..keep]);
        if keep < chunk.len() {
            self.truncated = true;
        }
    }

    /// True when nothing was written at all.
    pub(crate) fn is_untouched(&self) -> bool {
        self.bytes.is_empty() && !self.truncated
    }

    /// Records that `n` bytes were written but none could be kept.
    pub(crate) fn drop_bytes(&mut self, n: usize) {
        if n > 0 {
            self.truncated = true;
        }
    }

    pub(crate) fn finish(self) -> (Vec<u8>, bool) {
        (self.bytes, self.truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l03_keeps_exactly_the_limit() {
        let mut capture = OutputCapture::new(Some(4));
        capture.write(b"ab");
        capture.write(b"cd");
        assert_eq!(capture.room(), 0);
        let (bytes, truncated) = capture.finish();
        assert_eq!((bytes.as_slice(), truncated), (&b"abcd"[..], false));

        let mut capture = OutputCapture::new(Some(3));
        capture.write(b"abcd");
        capture.write(b"e");
        assert_eq!(capture.finish(), (b"abc".to_vec(), true));
    }
}
