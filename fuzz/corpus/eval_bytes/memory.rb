s = "x"; loop { s += s }
