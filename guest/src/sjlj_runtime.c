/* Runtime for LLVM's WebAssembly setjmp/longjmp lowering (exception-handling
 * flavour). A longjmp throws the __c_longjmp tag with a pointer to the
 * {env, val} pair; each setjmp-calling function catches it and asks
 * __wasm_setjmp_test whether the jump targets one of its own setjmp calls. */
#include <setjmp.h>
#include <stdint.h>

void __wasm_setjmp(void *env, uint32_t label, void *func_invocation_id) {
  __kobako_jmp_buf_t *jb = env;
  if (label == 0 || func_invocation_id == 0) {
    __builtin_trap();
  }
  jb->func_invocation_id = func_invocation_id;
  jb->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *func_invocation_id) {
  __kobako_jmp_buf_t *jb = env;
  if (jb->func_invocation_id == func_invocation_id) {
    return jb->label;
  }
  return 0;
}

void __wasm_longjmp(void *env, int val) {
  __kobako_jmp_buf_t *jb = env;
  jb->arg.env = env;
  jb->arg.val = val == 0 ? 1 : val;
  __builtin_wasm_throw(1, &jb->arg);
}
