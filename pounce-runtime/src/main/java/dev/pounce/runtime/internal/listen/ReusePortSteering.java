package dev.pounce.runtime.internal.listen;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Attaches a classic BPF program to a {@code SO_REUSEPORT} group, so that the kernel picks the socket that reads each
 * datagram by what the program returns instead of by a hash of the client's address:
 * {@code setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, struct sock_fprog *)}, called through the Java FFM API
 * because neither the JDK nor Netty 4.2.18's epoll transport has an option for it. The program belongs to the group,
 * so attaching it on one socket steers them all; it returns a position in the group, which is the order in which the
 * sockets joined, so the group must never change while the program is meant to hold (see
 * {@link ServerSockets#openDatagrams}).
 *
 * <p>Linux on x86_64 and aarch64 only, where {@code SOL_SOCKET} is 1 and {@code SO_ATTACH_REUSEPORT_CBPF} 51. The
 * launchers pass {@code --enable-native-access=dev.pounce.runtime}; without it the JDK warns once and goes on.
 */
final class ReusePortSteering {

    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    /** {@code struct sock_filter}: u16 code, u8 jt, u8 jf, u32 k. */
    static final int INSTRUCTION_BYTES = 8;
    /** The most instructions a classic program may have ({@code BPF_MAXINSNS}). */
    private static final int MAX_INSTRUCTIONS = 4096;

    private ReusePortSteering() {
    }

    /**
     * Attaches {@code program} to the group of the socket {@code fd}.
     *
     * @param fd      a socket of the group, already bound
     * @param program the instructions, {@value #INSTRUCTION_BYTES} bytes each in the machine's byte order
     * @return empty when attached, or why not (an old kernel, a refused program, no FFM access, not Linux)
     */
    static Optional<String> attach(int fd, byte[] program) {
        if (program.length == 0 || program.length % INSTRUCTION_BYTES != 0
                || program.length / INSTRUCTION_BYTES > MAX_INSTRUCTIONS) {
            return Optional.of("the program is not a whole number of instructions (" + program.length + " bytes)");
        }
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
            return Optional.of("reuseport programs are attached on Linux (x86_64, aarch64) only, not " + os + " "
                    + arch);
        }
        try {
            return Native.INSTANCE.setsockopt(fd, program);
        } catch (RuntimeException | LinkageError e) {
            // IllegalCallerException when native access is denied (--illegal-native-access=deny).
            return Optional.of(e.toString());
        }
    }

    /** libc's {@code setsockopt}, looked up once, on first use. */
    private static final class Native {
        static final Native INSTANCE = new Native();

        private final MethodHandle setsockopt;
        private final StructLayout errnoLayout = Linker.Option.captureStateLayout();
        private final VarHandle errno = errnoLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        private Native() {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find("setsockopt")
                    .orElseThrow(() -> new IllegalStateException("libc has no setsockopt"));
            setsockopt = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
        }

        Optional<String> setsockopt(int fd, byte[] program) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment filter = arena.allocate(program.length, 8);
                MemorySegment.copy(program, 0, filter, ValueLayout.JAVA_BYTE, 0, program.length);
                // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer is 8-aligned.
                MemorySegment fprog = arena.allocate(16, 8);
                fprog.set(ValueLayout.JAVA_SHORT, 0, (short) (program.length / INSTRUCTION_BYTES));
                fprog.set(ValueLayout.ADDRESS, 8, filter);
                MemorySegment state = arena.allocate(errnoLayout);
                int result = (int) setsockopt.invokeExact(state, fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, fprog,
                        (int) fprog.byteSize());
                if (result == 0) {
                    return Optional.empty();
                }
                int code = (int) errno.get(state, 0L);
                return Optional.of("setsockopt(SO_ATTACH_REUSEPORT_CBPF) failed with errno " + code
                        + (code == 22 ? " (EINVAL: the kernel refused the program)"
                        : code == 92 ? " (ENOPROTOOPT: the kernel is older than 4.5)"
                        : code == 1 ? " (EPERM)" : ""));
            } catch (Throwable t) {
                if (t instanceof Error e) {
                    throw e;
                }
                return Optional.of(t.toString());
            }
        }
    }
}
