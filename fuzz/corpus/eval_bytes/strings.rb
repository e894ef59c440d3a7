x = []; 10.times { |i| x << i.to_s * i }; x.map(&:size).inject(:+)
