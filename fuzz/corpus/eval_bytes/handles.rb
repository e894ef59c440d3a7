c = Host::Objects.counter; c.incr; c.incr; [c.value, c.echo(c)]
