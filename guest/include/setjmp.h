/* setjmp/longjmp for the Kobako guest, built on WebAssembly exception
 * handling. LLVM's -wasm-enable-sjlj pass rewrites calls to these names into
 * calls to the __wasm_setjmp* runtime in src/sjlj_runtime.c. */
#ifndef KOBAKO_SETJMP_H
#define KOBAKO_SETJMP_H

#include <stdint.h>

typedef struct {
  void *func_invocation_id; /* identifies the setjmp-calling frame */
  uint32_t label;           /* which setjmp call inside that frame */
  struct {
    void *env;              /* the jmp_buf being jumped to */
    int val;                /* value setjmp returns the second time */
  } arg;
} __kobako_jmp_buf_t;

typedef __kobako_jmp_buf_t jmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);

#define _setjmp setjmp
#define _longjmp longjmp

#endif
