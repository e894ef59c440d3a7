"""Drives `kobako mcp` with the official MCP Python SDK (a real, independent
client): handshake, tool listing, scripts that use KV and HTTP against a
local server, a timeout, bad input, and a cancelled call, with the server
serving throughout. With `http`, the same tool checks against
`kobako serve` instead, through the SDK's Streamable HTTP client sending a
bearer token; the server must then exit 0 on SIGTERM.

Usage: python3 test_mcp_client.py [PATH_TO_KOBAKO [stdio|http]]
(default: target/debug/kobako under the repository, stdio). Prints one line per
check and a closing "N passed, N failed" line; exits 1 on any failure.
"""

import asyncio
import http.server
import json
import pathlib
import sys
import subprocess
import tempfile
import threading

from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client

REPO = pathlib.Path(__file__).resolve().parents[4]
KOBAKO = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "target" / "debug" / "kobako"
TRANSPORT = sys.argv[2] if len(sys.argv) > 2 else "stdio"
# A guard against hanging forever, not a timing check.
CALL_GUARD_SECONDS = 120


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers /greeting with a JSON document; anything else is 404."""

    def do_GET(self):
        if self.path == "/greeting":
            body = json.dumps({"text": "hello from python"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def record(result):
    """The `eval --json` record of an execute result (text and structured agree)."""
    text = json.loads(result.content[0].text)
    assert result.structured_content == text, (result.structured_content, text)
    return text


async def checks(session, port, results, prefix=""):
    async def check(name, body):
        try:
            await asyncio.wait_for(body(), CALL_GUARD_SECONDS)
            results.append((prefix + name, None))
        except Exception as e:  # report every failure, keep going
            results.append((prefix + name, repr(e)))

    async def lists_tools():
        tools = (await session.list_tools()).tools
        names = [t.name for t in tools]
        assert names == ["execute", "describe"], names
        execute = tools[0]
        assert "def KV::Store.set: (String key, untyped value) -> untyped" in execute.description
        assert f"127.0.0.1:{port}" in execute.description
        assert execute.input_schema["required"] == ["code"]

    async def kv_and_http():
        script = (
            f"r = HTTP::Client.get('http://127.0.0.1:{port}/greeting')\n"
            "text = JSON.parse(r[:body])['text']\n"
            "KV::Store.set('greeting', text)\n"
            "puts text\n"
            "{status: r[:status], stored: KV::Store.keys}"
        )
        out = record(await session.call_tool("execute", {"code": script}))
        assert out["ok"] is True, out
        assert out["value"] == {"status": 200, "stored": ["greeting"]}, out
        assert out["stdout"] == "hello from python\n", out

    async def kv_persists():
        out = record(await session.call_tool("execute", {"code": "KV::Store.get('greeting')"}))
        assert out["value"] == "hello from python", out

    async def refused_host_is_rescuable():
        script = "begin; HTTP::Client.get('http://example.com/'); rescue Kobako::ServiceError => e; e.message; end"
        out = record(await session.call_tool("execute", {"code": script}))
        assert "not on the allowlist" in out["value"], out

    async def loop_times_out():
        result = await session.call_tool("execute", {"code": "loop {}"})
        out = record(result)
        assert result.is_error is True
        assert out["error"]["kind"] == "timeout", out

    async def serves_after_timeout():
        out = record(await session.call_tool("execute", {"code": "[1, 2].sum"}))
        assert out["value"] == 3, out

    async def script_error_is_a_result():
        out = record(await session.call_tool("execute", {"code": "raise 'boom'"}))
        assert out["error"]["message"] == "boom", out

    async def memory_bomb():
        out = record(await session.call_tool("execute", {"code": "a = []; loop { a << 'x' * 100_000 }"}))
        assert out["error"]["kind"] == "memory_limit", out

    async def stdout_flood():
        out = record(await session.call_tool("execute", {"code": "200_000.times { puts 'y' * 50 }"}))
        assert out["stdout_truncated"] is True, out

    async def huge_code():
        result = await session.call_tool("execute", {"code": "#" + "x" * (2 * 1024 * 1024)})
        assert result.is_error is True
        assert "limit" in record(result)["error"]["message"]

    async def unknown_tool():
        try:
            await session.call_tool("no_such_tool", {})
        except MCPError as e:
            assert "unknown tool" in str(e), e
        else:
            raise AssertionError("an unknown tool is a protocol error")

    async def describe():
        result = await session.call_tool("describe", {})
        assert "HTTP::Client" in result.content[0].text
        paths = [s["path"] for s in result.structured_content["services"]]
        assert paths == ["KV::Store", "HTTP::Client"], paths

    for name, body in [
        ("lists execute and describe", lists_tools),
        ("execute uses KV and HTTP", kv_and_http),
        ("KV persists between calls", kv_persists),
        ("refused host is a rescuable ServiceError", refused_host_is_rescuable),
        ("endless loop returns a timeout result", loop_times_out),
        ("server serves after the timeout", serves_after_timeout),
        ("script error is a tool result", script_error_is_a_result),
        ("memory bomb hits the cap", memory_bomb),
        ("stdout flood is truncated", stdout_flood),
        ("huge code is refused as a result", huge_code),
        ("unknown tool is a protocol error", unknown_tool),
        ("describe tool", describe),
        ("server still serves at the end", serves_after_timeout),
    ]:
        await check(name, body)


def malformed_input_keeps_the_server_serving(manifest, results):
    """Raw bytes on the server's stdin (no SDK): garbage gets Parse error, a
    JSON value that is no JSON-RPC message gets Invalid Request (both with id
    null), and the next real request is answered."""
    name = "malformed JSON-RPC is answered, and serving goes on"
    proc = subprocess.Popen(
        [str(KOBAKO), "mcp", "--manifest", str(manifest)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    guard = threading.Timer(CALL_GUARD_SECONDS, proc.kill)  # a reply that never comes fails
    guard.start()
    try:
        init = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "raw", "version": "0"},
            },
        }
        proc.stdin.write("{not json\n" + json.dumps({"hello": "world"}) + "\n" + json.dumps(init) + "\n")
        proc.stdin.flush()
        garbage = json.loads(proc.stdout.readline())
        assert garbage["error"]["code"] == -32700 and garbage["id"] is None, garbage
        invalid = json.loads(proc.stdout.readline())
        assert invalid["error"]["code"] == -32600 and invalid["id"] is None, invalid
        answer = json.loads(proc.stdout.readline())
        assert answer["id"] == 1 and answer["result"]["serverInfo"]["name"] == "kobako", answer
        results.append((name, None))
    except Exception as e:
        results.append((name, repr(e)))
    finally:
        guard.cancel()
        proc.kill()
        proc.wait()


async def cancelled_call_stops_its_run(tmp, results):
    """With one run slot and a 60 s timeout: a call the client abandons gets
    the SDK's courtesy notifications/cancelled, its run stops, and the slot is
    free again long before the timeout would have freed it."""
    name = "a cancelled call stops its run and frees its slot"
    manifest = pathlib.Path(tmp) / "one_slot.toml"
    manifest.write_text("[limits]\ntimeout = 60\n\n[mcp]\nmax_concurrent_runs = 1\n")
    params = StdioServerParameters(command=str(KOBAKO), args=["mcp", "--manifest", str(manifest)])
    try:
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                try:
                    await asyncio.wait_for(session.call_tool("execute", {"code": "loop {}"}), 1)
                    raise AssertionError("the endless loop returned")
                except asyncio.TimeoutError:
                    pass
                # A guard well below the 60 s timeout, not a timing check.
                deadline = asyncio.get_running_loop().time() + 20
                while True:
                    out = record(await session.call_tool("execute", {"code": "1 + 1"}))
                    if out["value"] == 2:
                        break
                    assert "max_concurrent_runs" in out["error"]["message"], out
                    assert asyncio.get_running_loop().time() < deadline, "the slot is still taken"
                    await asyncio.sleep(0.05)
        results.append((name, None))
    except Exception as e:
        results.append((name, repr(e)))


async def over_http(tmp, manifest, port, results):
    """The tool checks again, against `kobako serve` on a free local port
    through the SDK's Streamable HTTP client sending the bearer token; then
    SIGTERM, after which the server must exit 0."""
    token = "python-sdk-token"
    token_file = pathlib.Path(tmp) / "token"
    token_file.write_text(token + "\n")
    proc = subprocess.Popen(
        [str(KOBAKO), "serve", "--manifest", str(manifest), "--listen", "127.0.0.1:0",
         "--token-file", str(token_file)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    guard = threading.Timer(CALL_GUARD_SECONDS * 5, proc.kill)  # a server that hangs fails
    guard.start()
    try:
        line = proc.stderr.readline()
        assert "serving MCP on " in line, line
        url = line.split()[-1]
        client = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with streamable_http_client(url, http_client=client) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                await checks(session, port, results, prefix="http: ")
        proc.terminate()
        code = await asyncio.get_running_loop().run_in_executor(None, proc.wait)
        assert code == 0, f"kobako serve exited {code} on SIGTERM"
        results.append(("http: SIGTERM stops the server with exit 0", None))
    except Exception as e:
        results.append(("http: kobako serve", repr(e)))
    finally:
        guard.cancel()
        proc.kill()
        proc.wait()


async def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        manifest = pathlib.Path(tmp) / "kobako.toml"
        manifest.write_text(
            "[limits]\ntimeout = 2\nmemory_limit = 4194304\nstdout_limit = 10000\n\n"
            '[services.kv]\npath = "state.redb"\n\n'
            f'[services.http]\nallow = ["127.0.0.1:{port}"]\n'
        )
        if TRANSPORT == "http":
            await over_http(tmp, manifest, port, results)
        else:
            params = StdioServerParameters(command=str(KOBAKO), args=["mcp", "--manifest", str(manifest)])
            async with stdio_client(params) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    await checks(session, port, results)
            malformed_input_keeps_the_server_serving(manifest, results)
            await cancelled_call_stops_its_run(tmp, results)
    server.shutdown()
    failed = [(name, why) for name, why in results if why]
    for name, why in results:
        print(f"{'ok' if why is None else 'FAILED'}: {name}" + (f": {why}" if why else ""))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
