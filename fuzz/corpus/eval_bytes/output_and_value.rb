puts "hi"; $stderr.print "x" * 10; {answer: 6 * 7, list: [1.5, nil, :s, "\xff".b]}
