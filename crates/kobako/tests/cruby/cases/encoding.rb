# String encodings and bytes.
"é".bytesize
"é".length
"é".bytes
"é".encoding
"é".b
"é".b.encoding
"é".b.length
"é".b.inspect
"abc".b.encoding
"é".force_encoding("ASCII-8BIT")
"é".force_encoding("BINARY").length
"\xC3\xA9".force_encoding("UTF-8")
"\xC3\xA9".force_encoding("UTF-8") == "é"
"\xff".valid_encoding?
"é".valid_encoding?
"\xff".inspect
"\xff".bytes
"\xffabc".scrub("?")
"\xffabc".scrub
"abc\xff".b.unpack("C*")
"日本語".length
"日本語".bytesize
"日本語".reverse
"日本語".chars
"日本語"[1]
"日本語".byteslice(0, 3)
"日本語".byteslice(0, 2).valid_encoding?
"日本語".each_char.map(&:bytesize)
"🎉".length
"🎉".bytesize
"🎉".codepoints
"é".ord
233.chr(Encoding::UTF_8)
0x1F600.chr("UTF-8")
[233].pack("U")
[0xe9].pack("U*").encoding
"é".unpack("U*")
"aé".unpack("C*")
"\u00e9" == "é"
"\u{1F600 1F601}".length
"é".upcase
"café".ljust(6, ".")
"café".center(8, "*")
"naïve".size
"café"[-1]
"café".index("é")
"café".byteindex("é") rescue :nobyteindex
"abc".encoding.name
Encoding::UTF_8.name
Encoding::BINARY.name
Encoding::ASCII_8BIT == Encoding::BINARY
"é".encode("UTF-16LE").bytesize rescue :noenc
"abc".force_encoding("US-ASCII").encoding
"é".ascii_only?
"abc".ascii_only?
"é".unicode_normalize(:nfd).length rescue :nonorm
"\u0065\u0301".length
"é" + "\xff".b rescue $!.class
"abc" + "\xff".b
("é".b + "x").encoding
"é".bytes.map { _1.to_s(16) }.join(" ")
[0xc3, 0xa9].pack("C*").force_encoding("UTF-8")
"\xC3".force_encoding("UTF-8").valid_encoding?
"résumé".tr("é", "e")
"résumé".delete("é")
"résumé".count("é")
"ÀB".downcase
"ß".upcase
"ǅ".downcase
"ÉCOLE".capitalize
"straße".length
"é" * 3
"é".succ
"éa".sort rescue "éa".chars.sort
%w[é e f].sort
"é" <=> "f"
"\t\n".inspect
"\e".inspect
"\u0000".inspect
"\u200b".inspect
"é".inspect
"日本".inspect
"\x7f".inspect
"é".dump
"a\u0300".inspect
:"é".inspect
"é".hash == "é".b.hash
"é" == "é".b
"abc" == "abc".b
"é".to_sym.length
"é".each_grapheme_cluster.to_a rescue :nogc
"e\u0301".grapheme_clusters.length rescue :nogc
"ab".encode("UTF-8")
__ENCODING__
"x".force_encoding(Encoding::ASCII_8BIT).inspect
"\xE2\x82\xAC".force_encoding("UTF-8")
"€".bytes
"€".unpack1("U")
