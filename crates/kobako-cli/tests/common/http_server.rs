//! A small HTTP/1.1 server on 127.0.0.1 for the `HTTP::Client` tests; it
//! answers a fixed set of paths and lives as long as the test process.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

/// Starts the server on a free port and returns the port.
///
/// Paths: `/hello` (200, "hello from the test server", header `x-test: yes`,
/// echoes the request's `x-token` header as `x-token-seen`), `/json`,
/// `/redirect-here` (302 to `/hello`), `/redirect-to?URL` (302 to URL),
/// `/loop` (302 to itself), `/big?N` (N bytes of `a`), `/hang` (answers
/// after 5 s); anything else is 404.
pub fn start() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || {
                let _ = serve(stream);
            });
        }
    });
    port
}

fn serve(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut token = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("x-token")
        {
            token = Some(value.trim().to_owned());
        }
    }
    let target = request_line.split(' ').nth(1).unwrap_or("/").to_owned();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut extra = String::new();
    let (status, body) = match path {
        "/hello" => {
            extra.push_str("x-test: yes\r\n");
            if let Some(token) = token {
                extra.push_str(&format!("x-token-seen: {token}\r\n"));
            }
            ("200 OK", "hello from the test server".to_owned())
        }
        "/json" => ("200 OK", r#"{"items":[1,2,3]}"#.to_owned()),
        "/redirect-here" => {
            extra.push_str("location: /hello\r\n");
            ("302 Found", String::new())
        }
        "/redirect-to" => {
            extra.push_str(&format!("location: {query}\r\n"));
            ("302 Found", String::new())
        }
        "/loop" => {
            extra.push_str("location: /loop\r\n");
            ("302 Found", String::new())
        }
        "/big" => ("200 OK", "a".repeat(query.parse().unwrap_or(0))),
        "/hang" => {
            thread::sleep(Duration::from_secs(5));
            ("200 OK", "late".to_owned())
        }
        _ => ("404 Not Found", "no such page".to_owned()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
        body.len()
    )?;
    stream.flush()
}
