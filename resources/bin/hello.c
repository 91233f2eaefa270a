/*
 * The app's "FROM scratch" example: a static program with no libc at all. It prints its
 * greeting with one raw `write` system call and leaves with one raw `exit`: a program that
 * talks straight to the kernel, which is all a container ever has beneath its files.
 *
 * Built by packaging/build_hello.sh for x86-64 and arm64 (about 1 KB each).
 */
static const char greeting[] =
    "Hello from scratch! This image holds one file: me. No shell, no libc, no OS.\n"
    "I just asked the kernel to write this line - the host's kernel, shared by every container.\n";

void _start(void) {
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(1L), "D"(1L), "S"(greeting), "d"(sizeof greeting - 1)
                     : "rcx", "r11", "memory");
    __asm__ volatile("syscall" : : "a"(60L), "D"(0L) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
    register long x0 __asm__("x0") = 1;
    register const char *x1 __asm__("x1") = greeting;
    register long x2 __asm__("x2") = sizeof greeting - 1;
    register long x8 __asm__("x8") = 64; /* write */
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
    register long e0 __asm__("x0") = 0;
    register long e8 __asm__("x8") = 93; /* exit */
    __asm__ volatile("svc 0" : : "r"(e0), "r"(e8) : "memory");
#else
#error "unsupported architecture"
#endif
    for (;;) {
    }
}
