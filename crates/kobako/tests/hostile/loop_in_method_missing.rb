# spec: E-04
# expect: timeout
class Trapdoor
  def method_missing(name, *args)
    loop {}
  end
end
Trapdoor.new.anything
