# Float: printing, arithmetic, rounding, special values.
0.1 + 0.2
1.0 / 3
2.0 / 3
1e20.to_i
1e100
1e16
1e15
123456789012345.0
1234567890123456.0
12345678901234567.0
1e-4
1e-5
0.0001
0.00001
-0.0
0.0 == -0.0
-0.0.to_s
1.0
100.0
1.5e300 * 1e10
-1.0 / 0
0.0 / 0
(0.0 / 0).nan?
Float::INFINITY
-Float::INFINITY
Float::INFINITY.infinite?
(-Float::INFINITY).infinite?
1.0.infinite?
Float::NAN.nan?
Float::EPSILON
Float::MAX
Float::MIN
Float::DIG
3.14159.round(2)
3.14159.floor(3)
3.14159.ceil(1)
2.675.round(2)
1.23456e-7.round(10)
10.0 / 4
10.0.div(4)
10.5 % 3
-10.5 % 3
10.5.divmod(3)
2.0 ** 0.5
Math.sqrt(2)
Math.sqrt(16)
Math::PI
Math::E
Math.log(Math::E)
Math.log(8, 2)
Math.log2(1024)
Math.log10(1000)
Math.sin(0)
Math.cos(0)
Math.atan2(1, 1)
Math.hypot(3, 4)
Math.cbrt(27)
Math.sqrt(-1)
3.7 % 1
0.1 * 3
1.1 + 2.2
3.3 - 1.1
100.0 * 1.1
1.0e-10
5e-324
2.5e-5
1.0 / 7
(0.1).to_r
0.5.to_r
0.75.rationalize
3.0.to_i
3.99.truncate
-3.99.truncate
3.5.floor
-3.5.ceil
1.5.round
-1.5.round
0.5.round
1.05.round(1)
12.0.to_s
1.0e10.to_s
1.0e16.to_s
1.23e-3.to_s
Float("3.5")
Float("1e3")
Float("abc")
"3.7abc".to_f
"abc".to_f
".5".to_f
"1_000.5".to_f
3.14.to_s
3.14.inspect
1.0.eql?(1.0)
1.0.eql?(1)
1.0.hash == 1.0.hash
0.1 + 0.2 == 0.3
(0.1 + 0.2 - 0.3).abs < Float::EPSILON
2.0.floor.class
1e308 * 10
-1e308 * 10
[1.5, 2.5, 3.5].sum
[0.1] * 10
([0.1] * 10).sum
([0.1] * 10).inject(:+)
1.0.next_float
1.0.prev_float
3.14.abs
-3.14.abs
3.0 <=> 3
3.0 <=> Float::NAN
Float::NAN == Float::NAN
1.23456789e+20
9007199254740993.0
0.1.round(20)
(1.0/3).round(5)
1e2.to_i
1.5.to_i
6.02214076e23
1.0e-300 * 1.0e-300
12.34.divmod(5)
-7.0 / 2
7.0.floor(-1)
7.5.clamp(1, 5)
Float::INFINITY > 10**100
(2**64).to_f
(2**64 + 1).to_f
10**20 == 1e20
10**25 == 1e25
1e22.to_i
1.0.zero?
0.0.zero?
3.14.positive?
-0.0.negative?
