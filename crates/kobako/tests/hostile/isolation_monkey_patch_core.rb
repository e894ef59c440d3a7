# spec: S-07
# expect: ok
# then: [1 + 1, [3, 1, 2].sort, "a".upcase]
# then-expect: ok
# then-value: [2, [1, 2, 3], "A"]
class Integer
  def +(other) = 0
end
class Array
  def sort = []
end
class String
  def upcase = "pwned"
end
nil
