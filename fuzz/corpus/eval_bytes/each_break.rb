Host::Each.call(5) { |i| break i if i == 3; i * 2 }
