#include "output.h"

#include <mruby/string.h>
#include <wasi/api.h>

/* Kobako.__write(fd, string) -> Integer bytes written. Only fds 1 and 2
 * exist; the host clips at its limits and always reports full success. */
static mrb_value kobako_write(mrb_state *mrb, mrb_value self) {
  (void)self;
  mrb_int fd;
  mrb_value str;
  mrb_get_args(mrb, "iS", &fd, &str);
  if (fd != 1 && fd != 2) {
    mrb_raisef(mrb, E_ARGUMENT_ERROR, "only fd 1 and 2 are writable, not %i", fd);
  }
  const uint8_t *ptr = (const uint8_t *)RSTRING_PTR(str);
  size_t left = (size_t)RSTRING_LEN(str);
  while (left > 0) {
    __wasi_ciovec_t iov = {ptr, left};
    __wasi_size_t written = 0;
    __wasi_errno_t err = __wasi_fd_write((__wasi_fd_t)fd, &iov, 1, &written);
    if (err != 0 || written == 0 || written > left) {
      mrb_raisef(mrb, E_RUNTIME_ERROR, "write to fd %i failed (errno %d)", fd, (int)err);
    }
    ptr += written;
    left -= written;
  }
  return mrb_int_value(mrb, RSTRING_LEN(str));
}

void kobako_output_init(mrb_state *mrb, struct RClass *kobako) {
  mrb_define_module_function(mrb, kobako, "__write", kobako_write, MRB_ARGS_REQ(2));
}
