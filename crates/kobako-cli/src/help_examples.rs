//! The examples `--help` prints after the options, for the command and for
//! the subcommands people start with.

/// Examples for `kobako --help`: one line per subcommand.
pub(crate) const KOBAKO: &str = "\
Examples:
  kobako eval -e 'puts \"hi\"; [1, 2].sum'    print hi, then the value: => 3
  echo '6 * 7' | kobako eval -              read the script from stdin
  kobako eval script.rb --json              one JSON record: value, output, usage, error
  kobako run rules.rb --entry Discount --arg 200 --kwargs '{\"pct\": 25}'
  kobako describe --manifest kobako.toml    what a script can call, for a prompt
  kobako mcp --manifest kobako.toml         serve the tool `execute` to an agent
  kobako serve --manifest kobako.toml --token-file token    the same, over HTTP";

/// Examples for `kobako eval --help`.
pub(crate) const EVAL: &str = "\
Examples:
  kobako eval -e 'puts \"hi\"; 1 + 1'          print hi, then the value: => 2
  kobako eval script.rb --no-value            the script's output only
  echo '[1, 2].sum' | kobako eval - --json    one JSON record on stdout
  kobako eval big.rb --memory-limit 67108864 --timeout 5";

/// Examples for `kobako run --help`.
pub(crate) const RUN: &str = "\
Examples:
  kobako run rules.rb --entry Discount --arg 200 --kwargs '{\"pct\": 25}'
  kobako compile rules.rb -o rules.mrb && kobako run rules.mrb --entry Discount --arg 10";

/// Limits and examples for `kobako mcp --help`.
pub(crate) const MCP: &str = "\
Limits:
  Runs in flight: at most `max_concurrent_runs` under [mcp] in the manifest
  (1 to 1024; default twice the number of cores). An `execute` past it is
  refused at once with a busy error result, never queued.
  Messages: one JSON-RPC message per line, at most 16777216 bytes; a longer
  line, or one that is not JSON, is answered with a JSON-RPC error.
  Cancelling: notifications/cancelled for an `execute` stops its run.

Logs:
  One line per tool call on stderr (stdout carries only JSON-RPC): the tool,
  its outcome, duration and bytes sent back; never the script or its output.

Examples:
  kobako mcp --manifest kobako.toml    serve the services kobako.toml enables
  with, in kobako.toml:                at most 16 scripts run at once
    [mcp]
    max_concurrent_runs = 16";

/// Authentication, limits and examples for `kobako serve --help`.
pub(crate) const SERVE: &str = "\
Authentication:
  Every request must carry `Authorization: Bearer TOKEN`; any other gets HTTP
  401 and runs nothing. The token comes from --token-file, or from the
  environment variable that `token_env` under [serve] in the manifest names.
  --no-auth serves without one, and only on a loopback address.

Limits:
  Runs in flight: at most `max_concurrent_runs` under [mcp], for all clients
  together; an `execute` past it is refused at once with a busy result.
  Requests: one JSON-RPC message per POST to /mcp, at most 16777216 bytes.
  SIGTERM or Ctrl-C: stop accepting, let the runs in flight finish (or reach
  their timeout), then exit 0.

Logs and metrics:
  One line per tool call on stderr (the tool, its outcome, duration and bytes
  sent back; never the script, its output or the token), as text or with
  --log-format json. --metrics IP:PORT serves Prometheus text at /metrics,
  without a token: bind it to a loopback or private address.

Examples:
  kobako serve --manifest kobako.toml --listen 127.0.0.1:8080 --token-file token
  KOBAKO_TOKEN=... kobako serve --manifest kobako.toml --listen 0.0.0.0:8080
  with, in kobako.toml:                the token is read from $KOBAKO_TOKEN
    [serve]
    token_env = \"KOBAKO_TOKEN\"
  kobako serve --no-auth --listen 127.0.0.1:0    a free local port, no token
  kobako serve --token-file token --metrics 127.0.0.1:9090 --log-format json";
