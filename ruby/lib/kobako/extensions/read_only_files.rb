# frozen_string_literal: true

require "kobako"

module Kobako
  module Extensions
    # A worked Extension: a read-only `File` for scripts over one directory
    # the host chooses. `File.read` and `File.exist?` ask the host, which
    # resolves every path (symlinks included) and refuses any that leaves
    # the root; `File.basename`, `File.extname` and `File.join` are pure and
    # run in the guest.
    #
    #   sandbox.install(Kobako::Extensions::ReadOnlyFiles.extension("/srv/docs"))
    #   sandbox.eval('File.read("guide.md")')
    class ReadOnlyFiles
      # The largest file `File.read` returns (what one message carries).
      MAX_BYTES = 16 << 20

      # The guest half: `File`, calling the host at `KobakoFiles::Root`.
      SOURCE = <<~'RUBY'
        class File
          SEPARATOR = "/"

          def self.read(path) = KobakoFiles::Root.read(String(path))
          def self.exist?(path) = KobakoFiles::Root.exist?(String(path))
          def self.file?(path) = KobakoFiles::Root.file?(String(path))

          def self.basename(path, suffix = nil)
            path = String(path)
            return "/" if !path.empty? && path.delete("/").empty?

            base = path.split("/").reject(&:empty?).last || ""
            return base if suffix.nil?
            return base.sub(/\.[^.]*\z/, "") if suffix == ".*" && base.rindex(".").to_i.positive?

            base.end_with?(suffix) && base != suffix ? base[0, base.size - suffix.size] : base
          end

          def self.extname(path)
            base = basename(path)
            dot = base.rindex(".")
            dot.nil? || dot.zero? || dot == base.size - 1 ? "" : base[dot..]
          end

          def self.join(*parts) = parts.flatten.map(&:to_s).join("/").gsub(%r{/+}, "/")
        end
      RUBY

      # The Extension over +root+ (an existing directory), ready for
      # Sandbox#install.
      def self.extension(root)
        backend = Extension::Backend.new(path: "KobakoFiles::Root", object: new(root))
        Extension.new(name: :KobakoReadOnlyFiles, source: SOURCE, backend: backend)
      end

      # The host half over +root+.
      def initialize(root)
        @root = File.realpath(root.to_s)
        raise ArgumentError, "#{root} is not a directory" unless File.directory?(@root)
      end

      # The file's bytes (binary files cross as ASCII-8BIT Strings).
      def read(path)
        file = resolve(path)
        raise Errno::ENOENT, path unless file && File.file?(file)
        raise ArgumentError, "#{path} is larger than #{MAX_BYTES} bytes" if File.size(file) > MAX_BYTES

        File.binread(file)
      end

      def exist?(path) = !resolve(path).nil?

      def file?(path) = resolve(path)&.then { |file| File.file?(file) } || false

      private

      # The real path of +path+ under the root, or nil when it does not
      # exist or resolves (through `..` or a symlink) outside the root.
      def resolve(path)
        raise ArgumentError, "path must not contain NUL" if path.include?("\0")

        real = File.realpath(path, @root)
        real == @root || real.start_with?("#{@root}/") ? real : nil
      rescue Errno::ENOENT, Errno::ENOTDIR, Errno::ELOOP, Errno::EACCES
        nil
      end
    end
  end
end
