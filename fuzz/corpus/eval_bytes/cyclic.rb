a = []; a << a; a
