//! A `redis-server` of a test's own: on a free loopback port, saving
//! nothing to disk, stopped when dropped. Without `redis-server` on PATH a
//! test using it is skipped with a note, unless `KOBAKO_REQUIRE_REDIS=1`
//! (as in CI), which makes that a failure.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long start-up may take before the test fails (only a guard against
/// hanging forever).
const START_GUARD: Duration = Duration::from_secs(30);

/// A running `redis-server`.
pub struct RedisServer {
    child: Child,
    pub port: u16,
}

/// A loopback port nothing listens on (the OS's pick, let go at once).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.local_addr().unwrap().port()
}

fn redis_required() -> bool {
    std::env::var("KOBAKO_REQUIRE_REDIS").is_ok_and(|v| v == "1")
}

impl RedisServer {
    /// Starts a server, or `None` with a note when `redis-server` is not
    /// installed and `KOBAKO_REQUIRE_REDIS=1` is not set.
    pub fn start() -> Option<RedisServer> {
        let installed = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if !installed {
            assert!(
                !redis_required(),
                "KOBAKO_REQUIRE_REDIS=1 but redis-server is not on PATH (apt-get install redis-server)"
            );
            eprintln!("note: redis-server is not on PATH; skipping this test's Redis case");
            return None;
        }
        let deadline = Instant::now() + START_GUARD;
        loop {
            if let Some(server) = RedisServer::try_start() {
                return Some(server);
            }
            assert!(Instant::now() < deadline, "redis-server never started");
        }
    }

    /// One attempt on a fresh port: `None` if the server did not answer
    /// there (another process took the port first).
    fn try_start() -> Option<RedisServer> {
        let port = free_port();
        let mut server = RedisServer {
            child: RedisServer::spawn(port),
            port,
        };
        server.ready().then_some(server)
    }

    fn spawn(port: u16) -> Child {
        Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts")
    }

    /// Whether the server answers a PING within 5 s (`false` when it exited).
    fn ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return false;
            }
            if let Ok(mut con) = self.connection()
                && redis::cmd("PING").query::<String>(&mut con).is_ok()
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Kills the server and starts a new one, empty, on the same port.
    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + START_GUARD;
        loop {
            self.child = RedisServer::spawn(self.port);
            if self.ready() {
                return;
            }
            self.kill();
            assert!(Instant::now() < deadline, "redis-server never restarted");
        }
    }

    /// Stops the server answering (SIGSTOP) while it keeps its port: a
    /// connection opens, but no command is answered.
    pub fn pause(&mut self) {
        let stopped = Command::new("kill")
            .args(["-STOP", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(stopped.success(), "the server is stopped");
    }

    /// `redis://127.0.0.1:PORT/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// A connection of the test's own, to look at what a store left.
    pub fn connection(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(5))
    }

    /// Stops the server at once (SIGKILL) and waits for it to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
