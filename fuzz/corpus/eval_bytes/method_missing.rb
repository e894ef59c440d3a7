class Foo; def method_missing(n, *a) = n; end; Foo.new.bar
