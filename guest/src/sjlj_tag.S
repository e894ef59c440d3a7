# The exception tag LLVM's setjmp/longjmp lowering throws and catches.
.tagtype __c_longjmp i32
.globl __c_longjmp
__c_longjmp:
