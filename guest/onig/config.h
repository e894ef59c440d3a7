/* Oniguruma's build configuration for wasm32-wasip1 (wasi-libc), written by
 * hand instead of by configure; `cargo xtask guest` compiles the vendored
 * oniguruma/src with it. */
#define HAVE_PROTOTYPES 1
#define STDC_HEADERS 1
#define HAVE_STRING_H 1
#define HAVE_STDARG_H 1
#define HAVE_STDLIB_H 1
#define HAVE_LIMITS_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_STDINT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define SIZEOF_INT 4
#define SIZEOF_SHORT 2
#define SIZEOF_LONG 4
#define SIZEOF_VOIDP 4
#define SIZEOF_LONG_LONG 8
#define SIZEOF_SIZE_T 4
/* No debugging output: the guest has no stdio. */
#define ONIG_NO_PRINT 1
