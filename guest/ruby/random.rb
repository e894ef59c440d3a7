# Random.new without a seed draws one from the host (fixed bytes under the
# hermetic profile, OS entropy under the permissive one); the default
# generator is reseeded the same way at the start of every invocation.
class Random
  alias __kobako_initialize initialize

  def initialize(seed = Random.new_seed)
    __kobako_initialize(seed)
  end

  def self.new_seed = Kobako.__entropy
end
