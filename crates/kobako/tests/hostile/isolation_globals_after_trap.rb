# spec: S-07
# State set before a trap is gone afterwards.
# expect: timeout
# then: [$planted, Object.const_defined?(:PLANTED)]
# then-expect: ok
# then-value: [nil, false]
$planted = :yes
PLANTED = 1
loop {}
