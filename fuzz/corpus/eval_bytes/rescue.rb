begin; raise ArgumentError, "boom"; rescue => e; e.message; end
