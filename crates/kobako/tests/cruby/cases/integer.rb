# Integer: arithmetic, predicates, conversions, bigints.
1 + 2
7 - 10
6 * 7
7 / 2
-7 / 2
7 % 3
-7 % 3
7.remainder(-3)
-7.remainder(3)
2 ** 10
2 ** -1
2 ** 0.5
10.divmod(3)
-10.divmod(3)
10.div(3)
10.modulo(-3)
10.even?
7.odd?
0.zero?
5.positive?
-5.negative?
-5.abs
5.pred
5.succ
12.gcd(18)
12.lcm(18)
12.gcdlcm(18)
1.fdiv(3)
10.fdiv(4)
Integer.sqrt(24)
Integer.sqrt(25)
Integer.sqrt(10**20)
1234.digits
1234.digits(100)
0.digits
3.pow(4)
3.pow(100, 7)
2.pow(64, 1_000_000_007)
2 ** 64
2 ** 100
-(2 ** 70)
(2 ** 64) - 1
(2 ** 64).class
(2 ** 64) / 3
(2 ** 64) % 1000
(2 ** 100).to_s.size
(10 ** 30).digits.size
9_223_372_036_854_775_807 + 1
-9_223_372_036_854_775_808 - 1
4_611_686_018_427_387_904 * 2
12345678901234567890 * 98765432109876543210
(3 ** 200) % 1_000_007
(2 ** 64).to_s(16)
255.to_s(2)
255.to_s(16)
"ff".to_i(16)
"0b1010".to_i(0)
"12abc".to_i
"abc".to_i
Integer("42")
Integer("0x1A", 16) rescue Integer("1A", 16)
Integer("abc")
Integer(nil)
Integer("  42  ")
Integer("4_2")
Integer(3.99)
3.7.to_i
-3.7.to_i
65.chr
97.chr
10.times.to_a
1.upto(5).to_a
5.downto(1).to_a
1.step(10, 3).to_a
10.clamp(1, 5)
-3.clamp(0, 10)
5.between?(1, 10)
3 <=> 5
5 <=> 5
1 == 1.0
1.eql?(1.0)
1.equal?(1)
17.bit_length
255.bit_length
(-1).bit_length
6 & 3
6 | 3
6 ^ 3
~5
1 << 10
1 << 70
-16 >> 2
5[0]
5[1]
10.ceil(-1)
15.round(-1)
25.round(-1, half: :even)
1234.floor(-2)
1234.truncate(-2)
10.to_f
10.to_r
10.to_c
3.14.to_r.class
Integer === 3
3.integer?
3.finite?
3.infinite?
1.0.integer?
100.size
(2**64).size > 8
1_000_000.to_s
-0
0 == -0
10.coerce(2.5)
7.ceildiv(2)
-7.ceildiv(2)
Integer.try_convert(3)
Integer.try_convert("3")
3.dup
3.frozen?
1.0 / 0
1 / 0
1 % 0
0 ** 0
0.0 ** 0
(-8) ** (1.0/3)
4 ** 0.5
10.0.div(3)
(1..10).sum
(1..100).reduce(:*)
(1..25).reduce(:*).to_s.size
20.times.map { |i| i * i }.last
6.allbits?(6)
6.anybits?(1)
6.nobits?(1)
Comparable.instance_method(:clamp).owner
3.14.floor
3.14.ceil
-3.5.round
2.5.round
3.5.round
2.5.round(half: :even)
2.5.round(half: :down)
1234.5678.round(2)
1234.5678.round(-2)
1234.5678.floor(2)
10.pred.succ
