# Time at fixed instants (UTC only).
Time.at(0).utc
Time.at(0).utc.year
Time.at(1_700_000_000).utc
Time.at(1_700_000_000).utc.to_a
Time.at(1_700_000_000).utc.month
Time.at(1_700_000_000).utc.day
Time.at(1_700_000_000).utc.hour
Time.at(1_700_000_000).utc.min
Time.at(1_700_000_000).utc.sec
Time.at(1_700_000_000).utc.wday
Time.at(1_700_000_000).utc.yday
Time.at(1_700_000_000).utc.zone
Time.at(1_700_000_000).utc.utc?
Time.at(1_700_000_000).to_i
Time.at(1_700_000_000.5).utc.usec
Time.at(1_700_000_000, 123, :millisecond).utc.usec
Time.at(1_700_000_000).utc.strftime("%Y-%m-%d %H:%M:%S")
Time.at(1_700_000_000).utc.strftime("%Y-%m-%dT%H:%M:%SZ")
Time.at(1_700_000_000).utc.strftime("%a %b %e %H:%M:%S %Y")
Time.at(1_700_000_000).utc.strftime("%A, %B %d")
Time.at(1_700_000_000).utc.strftime("%j %U %W")
Time.at(1_700_000_000).utc.strftime("%I:%M %p")
Time.at(1_700_000_000).utc.strftime("%l:%M %P")
Time.at(1_700_000_000).utc.strftime("%y%m%d")
Time.at(1_700_000_000).utc.strftime("%s")
Time.at(1_700_000_000).utc.strftime("%z %Z")
Time.at(1_700_000_000).utc.strftime("%:z")
Time.at(1_700_000_000).utc.strftime("%F %T")
Time.at(1_700_000_000).utc.strftime("%D %R")
Time.at(1_700_000_000).utc.strftime("%c")
Time.at(1_700_000_000).utc.strftime("%x %X")
Time.at(1_700_000_000).utc.strftime("%-m/%-d/%Y")
Time.at(1_700_000_000).utc.strftime("%^a %^B")
Time.at(1_700_000_000).utc.strftime("%L %N")
Time.at(1_700_000_000).utc.strftime("%%")
Time.at(1_700_000_000).utc.strftime("%u %w")
Time.at(1_700_000_000).utc.strftime("%10A|")
Time.at(1_700_000_000).utc.strftime("%G-W%V")
Time.at(1_700_000_000).utc.to_s
Time.at(1_700_000_000).utc.inspect
Time.at(1_700_000_000.25).utc.inspect
Time.utc(2024, 2, 29)
Time.utc(2024, 2, 29, 13, 45, 30)
Time.utc(2024, 2, 29).yday
Time.utc(2024, 12, 31).yday
Time.utc(2023, 2, 29)
Time.utc(2024, 13, 1)
Time.utc(2000, 1, 1).to_i
Time.utc(2000, 1, 1) + 86_400
Time.utc(2000, 1, 1) - 1
Time.utc(2000, 1, 2) - Time.utc(2000, 1, 1)
(Time.utc(2000, 1, 2) - Time.utc(2000, 1, 1)).class
Time.utc(2000, 1, 1) < Time.utc(2000, 1, 2)
Time.utc(2000, 1, 1) == Time.at(946_684_800).utc
Time.utc(2000, 1, 1).monday?
Time.utc(2000, 1, 1).saturday?
Time.utc(2024, 1, 15).strftime("%B %-d, %Y")
Time.utc(2024, 1, 15, 9, 5).strftime("%H:%M")
Time.utc(2024, 1, 15).to_a.first(6)
Time.utc(2024, 1, 15).round.sec
Time.gm(2024, "jan", 15)
Time.utc(1969, 12, 31, 23, 59, 59).to_i
Time.at(-1).utc
Time.at(2**31).utc
Time.at(0).utc.iso8601 rescue :noiso
Time.at(0).utc.xmlschema rescue :noxml
Time.at(1_700_000_000).utc.getutc.hour
Time.at(1_700_000_000).utc.to_f
Time.at(1_700_000_000).utc.sunday?
Time.at(1_700_000_000).utc.dst?
Time.at(1_700_000_000).utc.utc_offset
(Time.utc(2024, 3, 1) - Time.utc(2024, 2, 1)) / 86_400
Time.utc(2024, 1, 1).strftime("%Y") + "-Q" + ((Time.utc(2024, 5, 1).month - 1) / 3 + 1).to_s
[Time.utc(2024, 5, 1), Time.utc(2023, 1, 1)].min.year
Time.utc(2024, 1, 31).month
Time.at(0).utc.hash == Time.at(0).utc.hash
Time.at(0).utc.eql?(Time.at(0).utc)
Time.at(0).utc.frozen?
Time.utc(2024, 6, 15, 12).strftime("%e")
Time.at(1_700_000_000).utc.mday
Time.at(1_700_000_000).utc.mon
Time.at(1_700_000_000).utc.subsec
Time.at(1.5).utc.subsec
Time.utc(2024, 1, 1, 0, 0, 0.5).usec
