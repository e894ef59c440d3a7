# spec: B-06
# Bytes that are not UTF-8 cross as binary, unchanged.
# expect: ok
# value: ["\xFF\xFE", {"\xC3" => "ok"}]
["\xff\xfe", { "\xc3" => "ok" }]
