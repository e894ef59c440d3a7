//! The shared `KV::Store` backend: a Redis server that several processes,
//! on one machine or many, use at once. A store is two Redis keys: the hash
//! `<prefix>kobako:kv` (field: the key, value: the value's wire bytes) and
//! the integer `<prefix>kobako:kv:bytes` (keys plus values, in bytes). A
//! write reads both under WATCH and changes both in one MULTI/EXEC, so the
//! caps hold exactly however many writers race.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use kobako::Fault;
use redis::{Client, Connection, IntoConnectionInfo, RedisError, RedisResult, cmd, pipe};

use super::kv_quota::{KvLimits, Usage};
use super::kv_store::{KvBackend, store_fault};

/// How long binding waits to connect, so that a server that cannot be
/// reached is reported before any run.
const CONNECT_GRACE: Duration = Duration::from_secs(5);
/// How long one command may wait for the server when the run has no
/// deadline: a server that stops answering must not hold a call forever.
const UNBOUNDED_WAIT: Duration = Duration::from_secs(60);

/// A Redis URL from `services.kv.url`. It may hold a password, so it is
/// shown (in messages, in `Debug`) only without its credentials and query.
#[derive(Clone)]
pub(crate) struct RedisUrl {
    text: String,
    shown: String,
}

impl RedisUrl {
    /// Checks `text` is a URL the Redis client accepts; the error never
    /// repeats a password.
    pub(crate) fn parse(text: &str) -> Result<RedisUrl, String> {
        let shown = url::Url::parse(text)
            .ok()
            .and_then(|url| without_credentials(&url));
        match (text.into_connection_info(), shown) {
            (Ok(_), Some(shown)) => Ok(RedisUrl {
                text: text.to_owned(),
                shown,
            }),
            (_, Some(shown)) if shown.starts_with("rediss:") || shown.starts_with("valkeys:") => {
                Err(format!(
                    "`services.kv.url` \"{shown}\" asks for TLS, which kobako's Redis client does not speak; \
                 reach the server through a TLS tunnel with a redis:// URL"
                ))
            }
            (_, Some(shown)) => Err(format!(
                "`services.kv.url` must be a Redis URL such as \"redis://127.0.0.1:6379/0\", not \"{shown}\""
            )),
            (_, None) => Err(
                "`services.kv.url` is not a URL; write it as \"redis://[:PASSWORD@]HOST:PORT/DB\", \
                 e.g. \"redis://127.0.0.1:6379/0\" (the value is not repeated here: it may hold a password)"
                    .into(),
            ),
        }
    }

    /// The URL without user, password or query, for messages.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// The password in the URL, as written, if it has one.
    fn password(&self) -> Option<String> {
        let url = url::Url::parse(&self.text).ok()?;
        let password = url.password()?.to_owned();
        Some(password)
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RedisUrl").field(&self.shown).finish()
    }
}

/// `url` as `scheme://host:port/path`, or `None` when it has no such shape
/// (whatever it holds might be a password).
fn without_credentials(url: &url::Url) -> Option<String> {
    if url.cannot_be_a_base() {
        return None;
    }
    let host = url.host_str().unwrap_or_default();
    let port = url.port().map(|port| format!(":{port}")).unwrap_or_default();
    Some(format!("{}://{host}{port}{}", url.scheme(), url.path()))
}

/// Why the server at `url` cannot be used, from the client's error `e`,
/// with what to do about it; never its password.
fn unusable(url: &RedisUrl, e: &RedisError) -> String {
    let why = e.to_string();
    let why = match url.password() {
        Some(password) if !password.is_empty() => why.replace(&password, "***"),
        _ => why,
    };
    let hint = if e.is_io_error() {
        "start the server or fix services.kv.url"
    } else {
        "check the user, password and database in services.kv.url, and the user's ACL on the server"
    };
    format!("cannot use the KV store at {}: {why}; {hint}", url.shown())
}

/// A store on a Redis server, with connections kept for the next call.
pub(crate) struct RedisStore {
    client: Client,
    /// Connections not in use; a call takes one or opens one, and gives it
    /// back only if every command on it succeeded.
    idle: Mutex<Vec<Connection>>,
    /// The hash of entries.
    entries: String,
    /// The integer holding the bytes of every key and value.
    bytes: String,
}

/// Why a call to the server failed.
enum Failure {
    /// The run's deadline (or the wait allowed without one) came before
    /// the server answered.
    Late,
    /// The server could not be reached, or failed the command.
    Server(RedisError),
}

impl From<RedisError> for Failure {
    fn from(e: RedisError) -> Failure {
        if e.is_timeout() {
            Failure::Late
        } else {
            Failure::Server(e)
        }
    }
}

impl Failure {
    /// The fault the guest sees, ending with `what` became of its call (for
    /// a write: whether anything was written).
    fn fault(self, what: &str) -> Fault {
        let why = match self {
            Failure::Late => "the store's server did not answer in time".to_owned(),
            Failure::Server(e) => match e.code() {
                Some(code) => format!("the store's server refused the command ({code})"),
                None if e.is_io_error() => "lost the connection to the store's server".to_owned(),
                None => return store_fault(e),
            },
        };
        Fault::runtime(format!("KV::Store: {why}; {what}"))
    }
}

const NOTHING_READ: &str = "nothing was read";
const NOTHING_WRITTEN: &str = "nothing was written";
const MAYBE_WRITTEN: &str = "the write may or may not have been made";

/// How long a command sent now may wait for the server; `Late` once the
/// deadline has passed.
fn time_left(deadline: Option<Instant>) -> Result<Duration, Failure> {
    let Some(deadline) = deadline else {
        return Ok(UNBOUNDED_WAIT);
    };
    match deadline.checked_duration_since(Instant::now()) {
        Some(left) if !left.is_zero() => Ok(left),
        _ => Err(Failure::Late),
    }
}

/// Runs `command` on `con` with its reads and writes bounded by `deadline`.
fn bounded<T>(
    con: &mut Connection,
    deadline: Option<Instant>,
    command: impl FnOnce(&mut Connection) -> RedisResult<T>,
) -> Result<T, Failure> {
    let left = time_left(deadline)?;
    con.set_read_timeout(Some(left))?;
    con.set_write_timeout(Some(left))?;
    Ok(command(con)?)
}

impl RedisStore {
    /// Connects to the server at `url` and checks the store's keys hold
    /// what a store keeps; the error says why the server cannot be used and
    /// never repeats its password.
    pub(crate) fn open(url: &RedisUrl, prefix: &str) -> Result<RedisStore, String> {
        let cannot = |e: RedisError| unusable(url, &e);
        let client = Client::open(url.text.as_str()).map_err(cannot)?;
        let store = RedisStore {
            client,
            idle: Mutex::new(Vec::new()),
            entries: format!("{prefix}kobako:kv"),
            bytes: format!("{prefix}kobako:kv:bytes"),
        };
        let mut con = (store.client)
            .get_connection_with_timeout(CONNECT_GRACE)
            .map_err(cannot)?;
        let deadline = Instant::now().checked_add(CONNECT_GRACE);
        for (key, kind) in [(&store.entries, "hash"), (&store.bytes, "string")] {
            let found: String =
                bounded(&mut con, deadline, |c| cmd("TYPE").arg(key).query(c)).map_err(|failure| {
                    match failure {
                        Failure::Late => format!(
                            "cannot use the KV store at {}: it did not answer within {} s; \
                             start the server or fix services.kv.url",
                            url.shown(),
                            CONNECT_GRACE.as_secs()
                        ),
                        Failure::Server(e) => cannot(e),
                    }
                })?;
            if found != kind && found != "none" {
                return Err(format!(
                    "cannot use the KV store at {}: its key {key} holds a {found}, not a {kind}; \
                     give services.kv.prefix a value no other program uses",
                    url.shown()
                ));
            }
        }
        store.give_back(con);
        Ok(store)
    }

    /// Runs `first`, the opening command of a call, on an idle connection,
    /// else on a new one opened by `deadline`; the connection, and what
    /// `first` returned. An idle connection the server has closed since (its
    /// idle timeout, a restart) is dropped and the next one tried: nothing
    /// `first` does survives a lost connection, so trying again is safe.
    fn open_with<T>(
        &self,
        deadline: Option<Instant>,
        first: impl Fn(&mut Connection) -> RedisResult<T>,
    ) -> Result<(Connection, T), Failure> {
        loop {
            let idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let Some(mut con) = idle else {
                break;
            };
            match bounded(&mut con, deadline, &first) {
                Ok(value) => return Ok((con, value)),
                Err(Failure::Server(e)) if e.is_io_error() => {}
                Err(failure) => return Err(failure),
            }
        }
        let mut con = self.client.get_connection_with_timeout(time_left(deadline)?)?;
        let value = bounded(&mut con, deadline, &first)?;
        Ok((con, value))
    }

    /// A connection watching the store's keys (see `watch`).
    fn watched(&self, deadline: Option<Instant>) -> Result<Connection, Failure> {
        let (con, ()) = self.open_with(deadline, |c| self.watch_command().exec(c))?;
        Ok(con)
    }

    /// Keeps `con` for a later call.
    fn give_back(&self, con: Connection) {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(con);
    }

    /// The store's usage: the entries counted by the server, their bytes as
    /// kept beside them (or counted when missing, as after a hand edit).
    fn usage(&self, con: &mut Connection, deadline: Option<Instant>) -> Result<Usage, Failure> {
        let (keys, bytes): (u64, Option<u64>) = bounded(con, deadline, |c| {
            pipe().hlen(&self.entries).get(&self.bytes).query(c)
        })?;
        let bytes = match bytes {
            Some(bytes) => bytes,
            None if keys == 0 => 0,
            None => self.count_bytes(con, deadline)?,
        };
        Ok(Usage { keys, bytes })
    }

    /// The bytes of every key and value, counted entry by entry.
    fn count_bytes(&self, con: &mut Connection, deadline: Option<Instant>) -> Result<u64, Failure> {
        let keys: Vec<Vec<u8>> = bounded(con, deadline, |c| cmd("HKEYS").arg(&self.entries).query(c))?;
        let mut lengths = pipe();
        for key in &keys {
            lengths.cmd("HSTRLEN").arg(&self.entries).arg(key);
        }
        let lengths: Vec<u64> = bounded(con, deadline, |c| lengths.query(c))?;
        let key_bytes = keys.iter().map(|key| key.len() as u64);
        Ok(key_bytes.chain(lengths).fold(0, u64::saturating_add))
    }

    /// Watches the store's keys on `con`, so that the MULTI/EXEC that
    /// follows fails if another writer changes either first.
    fn watch(&self, con: &mut Connection, deadline: Option<Instant>) -> Result<(), Failure> {
        bounded(con, deadline, |c| self.watch_command().exec(c))
    }

    fn watch_command(&self) -> redis::Cmd {
        let mut watch = cmd("WATCH");
        watch.arg(&self.entries).arg(&self.bytes);
        watch
    }

    /// Ends a watch that will not be followed by a MULTI/EXEC, and keeps
    /// the connection if that worked.
    fn unwatch(&self, mut con: Connection, deadline: Option<Instant>) {
        if bounded(&mut con, deadline, |c| cmd("UNWATCH").exec(c)).is_ok() {
            self.give_back(con);
        }
    }

    /// Writes `bytes` (the store's new total) with `change` in one
    /// MULTI/EXEC on a watched connection; `false` if another writer
    /// changed the store since the watch, so nothing was written.
    fn commit(
        &self,
        con: &mut Connection,
        deadline: Option<Instant>,
        bytes: u64,
        change: impl FnOnce(&mut redis::Pipeline),
    ) -> Result<bool, Failure> {
        let mut transaction = pipe();
        transaction.atomic();
        change(&mut transaction);
        transaction.set(&self.bytes, bytes).ignore();
        let done: Option<()> = bounded(con, deadline, |c| transaction.query(c))?;
        Ok(done.is_some())
    }

    /// What `key` holds, on a watched connection: whether it is there, and
    /// its value's length, with the store's usage.
    fn before_set(
        &self,
        con: &mut Connection,
        deadline: Option<Instant>,
        key: &str,
    ) -> Result<(Usage, Option<u64>), Failure> {
        let (exists, len): (bool, u64) = bounded(con, deadline, |c| {
            pipe()
                .hexists(&self.entries, key)
                .cmd("HSTRLEN")
                .arg(&self.entries)
                .arg(key)
                .query(c)
        })?;
        let usage = self.usage(con, deadline)?;
        Ok((usage, exists.then_some(key.len() as u64 + len)))
    }

    /// What `key` holds, on a watched connection, with the store's usage
    /// when it is there.
    fn before_delete(
        &self,
        con: &mut Connection,
        deadline: Option<Instant>,
        key: &str,
    ) -> Result<Option<(Vec<u8>, Usage)>, Failure> {
        let old: Option<Vec<u8>> = bounded(con, deadline, |c| {
            cmd("HGET").arg(&self.entries).arg(key).query(c)
        })?;
        let Some(old) = old else {
            return Ok(None);
        };
        let usage = self.usage(con, deadline)?;
        Ok(Some((old, usage)))
    }
}

impl KvBackend for RedisStore {
    fn get(&self, key: &str, deadline: Option<Instant>) -> Result<Option<Vec<u8>>, Fault> {
        let (con, found) = self
            .open_with(deadline, |c| cmd("HGET").arg(&self.entries).arg(key).query(c))
            .map_err(|f| f.fault(NOTHING_READ))?;
        self.give_back(con);
        Ok(found)
    }

    fn set(
        &self,
        key: &str,
        bytes: &[u8],
        limits: &KvLimits,
        deadline: Option<Instant>,
    ) -> Result<(), Fault> {
        let unwritten = |failure: Failure| failure.fault(NOTHING_WRITTEN);
        let mut con = self.watched(deadline).map_err(unwritten)?;
        loop {
            let (usage, replaced) = self.before_set(&mut con, deadline, key).map_err(unwritten)?;
            let after = match limits.admit(key, bytes.len() as u64, usage, replaced) {
                Ok(after) => after,
                Err(refusal) => {
                    self.unwatch(con, deadline);
                    return Err(refusal);
                }
            };
            let set = |t: &mut redis::Pipeline| {
                t.hset(&self.entries, key, bytes).ignore();
            };
            let done = self.commit(&mut con, deadline, after.bytes, set);
            if done.map_err(|f| f.fault(MAYBE_WRITTEN))? {
                self.give_back(con);
                return Ok(());
            }
            self.watch(&mut con, deadline).map_err(unwritten)?;
        }
    }

    fn delete(&self, key: &str, deadline: Option<Instant>) -> Result<Option<Vec<u8>>, Fault> {
        let unwritten = |failure: Failure| failure.fault(NOTHING_WRITTEN);
        let mut con = self.watched(deadline).map_err(unwritten)?;
        loop {
            let before = self.before_delete(&mut con, deadline, key).map_err(unwritten)?;
            let Some((old, usage)) = before else {
                self.unwatch(con, deadline);
                return Ok(None);
            };
            let after = usage.without((key.len() + old.len()) as u64);
            let delete = |t: &mut redis::Pipeline| {
                t.hdel(&self.entries, key).ignore();
            };
            let done = self.commit(&mut con, deadline, after.bytes, delete);
            if done.map_err(|f| f.fault(MAYBE_WRITTEN))? {
                self.give_back(con);
                return Ok(Some(old));
            }
            self.watch(&mut con, deadline).map_err(unwritten)?;
        }
    }

    fn keys(&self, deadline: Option<Instant>) -> Result<Vec<String>, Fault> {
        let (con, keys): (_, Vec<Vec<u8>>) = self
            .open_with(deadline, |c| cmd("HKEYS").arg(&self.entries).query(c))
            .map_err(|f| f.fault(NOTHING_READ))?;
        self.give_back(con);
        keys.into_iter()
            .map(|key| String::from_utf8(key).map_err(store_fault))
            .collect()
    }

    fn stored_bytes(&self, deadline: Instant) -> Option<u64> {
        let deadline = Some(deadline);
        let (mut con, ()) = self.open_with(deadline, |c| cmd("PING").exec(c)).ok()?;
        let usage = self.usage(&mut con, deadline).ok()?;
        self.give_back(con);
        Some(usage.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password_or_query() {
        let url = RedisUrl::parse("redis://user:s3cret@127.0.0.1:6380/2").unwrap();
        assert_eq!(url.shown(), "redis://127.0.0.1:6380/2");
        assert!(!format!("{url:?}").contains("s3cret"));
        let unix = RedisUrl::parse("unix:///run/redis.sock?pass=s3cret").unwrap();
        assert_eq!(unix.shown(), "unix:///run/redis.sock");
    }
}
