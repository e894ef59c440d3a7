Host::Echo.call(1, "two", [3], k: :v)
