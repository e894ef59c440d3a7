//! The MCP transport with the handshake enforced in plain words: a request
//! that arrives before `initialize` is answered "the session is not
//! initialized" instead of rmcp's complaint about missing request `_meta`.

use std::future::Future;

use rmcp::RoleServer;
use rmcp::model::{
    ClientJsonRpcMessage, ClientRequest, ErrorData, GetMeta, JsonRpcMessage, ServerJsonRpcMessage,
};
use rmcp::transport::Transport;

/// Wraps a server transport until the client sends `initialize`.
pub(crate) struct HandshakeFirst<T> {
    inner: T,
    initialized: bool,
}

impl<T> HandshakeFirst<T> {
    /// The transport `inner`, with no handshake seen yet.
    pub(crate) fn new(inner: T) -> HandshakeFirst<T> {
        HandshakeFirst {
            inner,
            initialized: false,
        }
    }
}

/// Whether rmcp takes `request` before `initialize`: the handshake itself,
/// a ping or discovery probe, or a request that carries its protocol version
/// in `_meta` (the stateless protocol).
fn allowed_before_initialize(request: &ClientRequest) -> bool {
    matches!(
        request,
        ClientRequest::InitializeRequest(_)
            | ClientRequest::PingRequest(_)
            | ClientRequest::DiscoverRequest(_)
    ) || request.get_meta().protocol_version().is_some()
}

fn not_initialized(method: &str) -> ErrorData {
    ErrorData::invalid_request(
        format!(
            "the session is not initialized: send `initialize`, then `notifications/initialized`, \
             before `{method}`"
        ),
        None,
    )
}

impl<T: Transport<RoleServer>> Transport<RoleServer> for HandshakeFirst<T> {
    type Error = T::Error;

    fn send(
        &mut self,
        item: ServerJsonRpcMessage,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        self.inner.send(item)
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            let message = self.inner.receive().await?;
            let JsonRpcMessage::Request(request) = &message else {
                return Some(message);
            };
            if self.initialized || allowed_before_initialize(&request.request) {
                self.initialized |= matches!(request.request, ClientRequest::InitializeRequest(_));
                return Some(message);
            }
            let refusal = ServerJsonRpcMessage::error(
                not_initialized(request.request.method()),
                Some(request.id.clone()),
            );
            if self.inner.send(refusal).await.is_err() {
                return None;
            }
        }
    }

    fn close(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send {
        self.inner.close()
    }
}
