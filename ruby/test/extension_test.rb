# frozen_string_literal: true

require "test_helper"
require "tmpdir"
require "kobako/extensions/read_only_files"

# K-04: Extensions, and the read-only File shipped as their worked example.
class ExtensionTest < Minitest::Test
  # A backend that counts the calls reaching it.
  class Tally
    attr_reader :calls

    def initialize = @calls = 0
    def bump = @calls += 1
  end

  SOURCE = <<~RUBY
    module Counter
      def self.double(x) = x * 2           # pure: runs in the guest
      def self.bump = Ext::Tally.bump      # reaches the backend
    end
  RUBY

  def extension(**backend)
    Kobako::Extension.new(name: :CounterExt, source: SOURCE,
                          backend: Kobako::Extension::Backend.new(path: "Ext::Tally", **backend))
  end

  def test_k04_pure_methods_stay_in_the_guest_and_a_shared_object_backs_the_rest
    tally = Tally.new
    box = sandbox
    assert_same box, box.install(extension(object: tally))
    assert_equal 42, box.eval("Counter.double(21)")
    assert_equal 0, tally.calls, "a pure method made no host call"
    assert_equal [1, 2], box.eval("[Counter.bump, Counter.bump]")
    assert_equal 3, box.eval("Counter.bump"), "the object is shared by every invocation"
  end

  def test_k04_a_provider_gives_each_invocation_a_fresh_object
    made = []
    box = sandbox
    box.install(extension(provider: -> { Tally.new.tap { |t| made << t } }))
    assert_equal [1, 2], box.eval("[Counter.bump, Counter.bump]")
    assert_equal [1, 2], box.eval("[Counter.bump, Counter.bump]"), "nothing written leaks to the next run"
    assert_equal 2, made.size, "called once per invocation"
    # The per-invocation block may still shadow it.
    assert_equal :mine, box.eval("Counter.bump") { |ctx| ctx.bind("Ext::Tally", Struct.new(:bump).new(:mine)) }
  end

  def test_k04_bad_extensions_are_argument_errors
    assert_raises(ArgumentError) { Kobako::Extension::Backend.new(path: "Ext::Tally") }
    assert_raises(ArgumentError) { Kobako::Extension::Backend.new(path: "Ext::Tally", object: 1, provider: -> {}) }
    assert_raises(ArgumentError) { Kobako::Extension::Backend.new(path: "nope", object: 1) }
    assert_raises(ArgumentError) { Kobako::Extension::Backend.new(path: "A::B", provider: 1) }
    assert_raises(ArgumentError) { Kobako::Extension.new(name: :X, source: 1) }
    assert_raises(ArgumentError) { sandbox.install(Object.new) }
    box = sandbox
    box.eval("1")
    assert_raises(ArgumentError) { box.install(extension(object: Tally.new)) }
    assert_raises(Kobako::SandboxError) { sandbox.install(Kobako::Extension.new(name: :Broken, source: "def (")) }
    # A taken path refuses the whole extension: its snippet is not preloaded.
    taken = sandbox
    taken.bind("Ext::Tally", Tally.new)
    error = assert_raises(ArgumentError) { taken.install(extension(object: Tally.new)) }
    assert_includes error.message, "Ext::Tally is already bound"
    assert_equal false, taken.eval("Object.const_defined?(:Counter)")
  end

  def with_files
    Dir.mktmpdir do |outside|
      File.write(File.join(outside, "secret.txt"), "TOP SECRET CONTENT")
      Dir.mktmpdir do |root|
        File.write(File.join(root, "guide.md"), "# Guide\n")
        Dir.mkdir(File.join(root, "sub"))
        File.binwrite(File.join(root, "sub", "logo.bin"), "\xff\x00".b)
        File.symlink(File.join(outside, "secret.txt"), File.join(root, "sub", "out"))
        File.symlink(outside, File.join(root, "away"))
        File.symlink(File.join(root, "guide.md"), File.join(root, "sub", "in"))
        box = sandbox
        box.install(Kobako::Extensions::ReadOnlyFiles.extension(root))
        yield box, outside
      end
    end
  end

  def test_k04_read_only_files_reads_inside_its_root
    with_files do |box, _|
      assert_equal ["# Guide\n", "\xff\x00".b, "# Guide\n", true, true, false],
                   box.eval('[File.read("guide.md"), File.read("sub/logo.bin"), File.read("sub/in"), ' \
                            'File.exist?("sub"), File.file?("./sub/../guide.md"), File.file?("sub")]')
      assert_equal ["guide", ".md", "/", "a/b/c", "c.rb"],
                   box.eval('[File.basename("docs/guide.md", ".md"), File.extname("guide.md"), File.basename("/"), ' \
                            'File.join("a", "b/", "/c"), File.basename("a/b/c.rb")]')
    end
  end

  def test_k04_read_only_files_cannot_escape_its_root
    with_files do |box, outside|
      escapes = ["../secret.txt", File.join(outside, "secret.txt"), "sub/out", "away/secret.txt",
                 "sub/../../secret.txt", "/etc/passwd", "sub", ""]
      escapes.each do |path|
        assert_equal false, box.eval("File.exist?(#{path.inspect}) && File.file?(#{path.inspect})"), path
        error = assert_raises(Kobako::ServiceError, path) { box.eval("File.read(#{path.inspect})") }
        refute_includes error.message, "TOP SECRET", path
      end
      error = assert_raises(Kobako::ServiceError) { box.eval('File.read("guide.md\0")') }
      assert_includes error.message, "NUL"
      assert_equal "caught", box.eval('begin; File.read("../secret.txt"); rescue Kobako::ServiceError; "caught"; end')
    end
  end
end
