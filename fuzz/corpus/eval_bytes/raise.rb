raise TypeError, "no"
