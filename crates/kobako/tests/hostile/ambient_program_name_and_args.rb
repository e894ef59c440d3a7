# spec: S-01
# No program name ("-"), arguments or stdin.
# expect: ok
# value: ["-", "-", [], nil]
[$0, $PROGRAM_NAME, $*, $stdin]
