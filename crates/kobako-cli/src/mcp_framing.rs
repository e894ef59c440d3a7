//! The MCP transport over a byte stream: one JSON-RPC message per line, each
//! line read under a length bound. A line that is not a message this server
//! reads is answered here with its JSON-RPC error, written under the same
//! lock as the server's own messages so two replies never interleave.

use std::future::Future;
use std::io;
use std::sync::Arc;

use rmcp::RoleServer;
use rmcp::model::{ClientJsonRpcMessage, ErrorCode, RequestId, ServerJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{Value as Json, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::mcp_id_scanner::IdScanner;

/// The longest message (one line, without its newline) the server reads.
pub(crate) const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// A line buffer grown past this is let go after its line, so one big
/// message does not pin its memory for the rest of the session.
const KEPT_BUFFER_BYTES: usize = 1024 * 1024;

/// What one bounded read of the input found.
enum Line {
    /// A whole line is in the buffer.
    Complete,
    /// The line passed [`MAX_MESSAGE_BYTES`] and was skipped; the `id` of the
    /// request in it, if one was found.
    TooLong(Option<RequestId>),
    /// The client closed its end.
    End,
}

/// What a complete line is to the server.
enum Decoded {
    Message(Box<ClientJsonRpcMessage>),
    /// Not answered: an empty line, or a malformed notification (JSON-RPC
    /// never answers notifications).
    Ignored,
    /// The JSON-RPC error line to answer it with.
    Refused(Vec<u8>),
}

/// A server transport on a reader and a writer.
pub(crate) struct LineTransport<R, W> {
    read: BufReader<R>,
    /// The line read so far (never longer than [`MAX_MESSAGE_BYTES`]).
    line: Vec<u8>,
    /// Set while the rest of an over-long line is skipped, looking for its id.
    skipping: Option<IdScanner>,
    write: Arc<Mutex<W>>,
    /// The error reply being written, finished before the next line is read
    /// so a flood of bad lines waits on the client reading its replies.
    reply: Option<JoinHandle<io::Result<()>>>,
}

impl<R, W> LineTransport<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send + 'static,
{
    /// Reads messages from `read` and writes replies to `write`.
    pub(crate) fn new(read: R, write: W) -> LineTransport<R, W> {
        LineTransport {
            read: BufReader::new(read),
            line: Vec::new(),
            skipping: None,
            write: Arc::new(Mutex::new(write)),
            reply: None,
        }
    }

    /// Reads up to the end of a line, keeping at most [`MAX_MESSAGE_BYTES`] of
    /// it. Safe to cancel: a partial line stays in the buffer (or the
    /// skipping state) for the next call, and nothing is consumed twice.
    async fn read_line(&mut self) -> io::Result<Line> {
        loop {
            let available = self.read.fill_buf().await?;
            if available.is_empty() {
                return Ok(Line::End);
            }
            let newline = available.iter().position(|&b| b == b'\n');
            let taken = newline.map_or(available.len(), |at| at + 1);
            let content = &available[..newline.unwrap_or(taken)];
            let ended = newline.is_some();
            let found = if let Some(scanner) = &mut self.skipping {
                scanner.feed(content);
                ended.then(|| Line::TooLong(self.skipping.take().and_then(IdScanner::id)))
            } else if self.line.len() + content.len() > MAX_MESSAGE_BYTES {
                let mut scanner = IdScanner::default();
                scanner.feed(&self.line);
                scanner.feed(content);
                self.line = Vec::new();
                if ended {
                    Some(Line::TooLong(scanner.id()))
                } else {
                    self.skipping = Some(scanner);
                    None
                }
            } else {
                self.line.extend_from_slice(content);
                ended.then_some(Line::Complete)
            };
            self.read.consume(taken);
            if let Some(line) = found {
                return Ok(line);
            }
        }
    }

    /// Decodes the buffered line and empties the buffer.
    fn take_line(&mut self) -> Decoded {
        let decoded = decode(&self.line);
        self.line.clear();
        if self.line.capacity() > KEPT_BUFFER_BYTES {
            self.line = Vec::new();
        }
        decoded
    }
}

/// Writes one line (`bytes` and a newline) under the writer's lock.
async fn write_line<W: AsyncWrite + Unpin>(write: &Mutex<W>, mut bytes: Vec<u8>) -> io::Result<()> {
    bytes.push(b'\n');
    let mut write = write.lock().await;
    write.write_all(&bytes).await?;
    write.flush().await
}

/// A JSON-RPC error line answering the request `id` (null when unknown).
fn error_line(code: ErrorCode, message: &str, id: Option<RequestId>) -> Vec<u8> {
    let reply = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code.0, "message": message},
    });
    reply.to_string().into_bytes()
}

fn too_long(id: Option<RequestId>) -> Vec<u8> {
    let message = format!(
        "invalid request: the message is longer than {MAX_MESSAGE_BYTES} bytes, the limit for one \
         line; send less (execute takes at most 1048576 bytes of code)"
    );
    error_line(ErrorCode::INVALID_REQUEST, &message, id)
}

/// What `line` (without its newline) is: a message, nothing to answer, or
/// a parse error or invalid request to answer.
fn decode(line: &[u8]) -> Decoded {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Decoded::Ignored;
    }
    match read_message(line, "line") {
        Ok(message) => Decoded::Message(Box::new(message)),
        Err(unreadable) if unreadable.notification => Decoded::Ignored,
        Err(unreadable) => Decoded::Refused(unreadable.reply),
    }
}

/// Bytes that are not a message this server reads: the JSON-RPC error that
/// answers them, and whether they look like a notification.
pub(crate) struct Unreadable {
    pub(crate) reply: Vec<u8>,
    pub(crate) notification: bool,
}

/// Reads `bytes` as one client message, or says why they are not one (a
/// parse error or an invalid request). `unit` names what the bytes are in
/// the error message: "line" or "body".
pub(crate) fn read_message(bytes: &[u8], unit: &str) -> Result<ClientJsonRpcMessage, Unreadable> {
    let error = match serde_json::from_slice::<ClientJsonRpcMessage>(bytes) {
        Ok(message) => return Ok(message),
        Err(error) => error,
    };
    let Ok(value) = serde_json::from_slice::<Json>(bytes) else {
        let message =
            format!("parse error: the {unit} is not JSON ({error}); send one JSON-RPC message per {unit}");
        return Err(Unreadable {
            reply: error_line(ErrorCode::PARSE_ERROR, &message, None),
            notification: false,
        });
    };
    if value.is_array() {
        let message =
            format!("invalid request: JSON-RPC batches are not supported; send one message per {unit}");
        return Err(Unreadable {
            reply: error_line(ErrorCode::INVALID_REQUEST, &message, None),
            notification: false,
        });
    }
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    let message = format!("invalid request: not a JSON-RPC 2.0 message this server reads ({error})");
    Err(Unreadable {
        reply: error_line(ErrorCode::INVALID_REQUEST, &message, id),
        notification: value.get("method").is_some() && value.get("id").is_none(),
    })
}

impl<R, W> Transport<RoleServer> for LineTransport<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send + 'static,
{
    type Error = io::Error;

    fn send(&mut self, item: ServerJsonRpcMessage) -> impl Future<Output = io::Result<()>> + Send + 'static {
        let write = Arc::clone(&self.write);
        let bytes = serde_json::to_vec(&item).map_err(io::Error::from);
        async move { write_line(&write, bytes?).await }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            if let Some(reply) = &mut self.reply {
                // A failed reply is the client's loss only; its next read or
                // our next message will see the closed pipe.
                let _ = reply.await;
                self.reply = None;
            }
            let refusal = match self.read_line().await {
                Ok(Line::Complete) => match self.take_line() {
                    Decoded::Message(message) => return Some(*message),
                    Decoded::Ignored => continue,
                    Decoded::Refused(refusal) => refusal,
                },
                Ok(Line::TooLong(id)) => too_long(id),
                Ok(Line::End) => return None,
                Err(e) => {
                    eprintln!("kobako: cannot read the MCP client's messages: {e}");
                    return None;
                }
            };
            let write = Arc::clone(&self.write);
            self.reply = Some(tokio::spawn(async move { write_line(&write, refusal).await }));
        }
    }

    async fn close(&mut self) -> io::Result<()> {
        self.write.lock().await.shutdown().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(line: &str) -> Json {
        match decode(line.as_bytes()) {
            Decoded::Refused(bytes) => serde_json::from_slice(&bytes).unwrap(),
            Decoded::Message(_) => panic!("{line} was read as a message"),
            Decoded::Ignored => panic!("{line} was ignored"),
        }
    }

    #[test]
    fn lines_that_are_not_messages_are_refused_with_their_id() {
        let parse = refusal("{nope");
        assert_eq!(
            (parse["id"].clone(), parse["error"]["code"].clone()),
            (Json::Null, json!(-32700))
        );
        let shape = refusal(r#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":1}"#);
        assert_eq!(
            (shape["id"].clone(), shape["error"]["code"].clone()),
            (json!(9), json!(-32600))
        );
        let batch = refusal(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#);
        assert_eq!(batch["error"]["code"], json!(-32600));
        assert!(matches!(decode(b"  \r"), Decoded::Ignored));
        assert!(matches!(
            decode(br#"{"jsonrpc":"2.0","method":"x/y","params":1}"#),
            Decoded::Ignored
        ));
        assert!(matches!(
            decode(b"\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r"),
            Decoded::Message(_)
        ));
    }
}
