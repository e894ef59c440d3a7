# require / require_relative of built-in libraries.
[true, false].include?(require('json'))
require 'json'; [true, false].include?(require('json'))
[true, false].include?(require('set'))
require 'set'; Set[1].size
require 'json'; JSON.generate([1])
require 'json'; defined?(JSON::ParserError)
require 'no_such_library_xyz'
begin; require 'no_such_library_xyz'; rescue LoadError => e; e.class; end
begin; require 'no_such_library_xyz'; rescue LoadError => e; e.message; end
begin; require 'no_such_library_xyz'; rescue => e; :std; rescue LoadError; :load; end
LoadError.superclass
require 'time'; Time.at(0).utc.iso8601
require 'time'; Time.utc(2024, 1, 2, 3, 4, 5).iso8601
require 'time'; Time.iso8601("2024-01-02T03:04:05Z").to_i
require 'time'; Time.utc(2024, 1, 2).xmlschema
require 'date' rescue :nodate; :attempted
require 'pp'; :pp
require 'stringio'; s = StringIO.new; s.puts "x"; s.string
require 'ostruct'; OpenStruct.new(a: 1).a rescue :no_ostruct
require 'digest'; Digest::SHA256.hexdigest("abc") rescue :no_digest
require 'base64'; Base64.strict_encode64("hi") rescue :no_b64
["hi"].pack("m0")
"aGk=".unpack1("m0")
require 'forwardable'; class Fw; extend Forwardable; def_delegators :@a, :size; def initialize = @a = [1, 2]; end; Fw.new.size
require 'English' rescue :no; :ok
require 'shellwords'; "a b".shellsplit rescue :nosw
require_relative 'no_such_file_here'
load 'no_such_file.rb'
$LOADED_FEATURES.class
require('json').class.name.end_with?("Class")
require 'json'; require('json') == false
