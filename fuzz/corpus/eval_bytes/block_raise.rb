Host::Each.call(3) { |i| raise "in block #{i}" }
